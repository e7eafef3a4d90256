// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import RigTestSupport
import Testing

@testable import RigHardware

@Suite("serial link factory: which implementation serves which tty", .timeLimit(.minutes(TestTime.minutes(1))))
struct SerialLinkFactoryTests {
  @Test("a pseudo-terminal is served by termios, and the log says so")
  func pseudoTerminal() async throws {
    let pty = try DevicePTY()
    defer { pty.close() }
    let choice = try SerialLinkFactory.choose(path: pty.path)
    #expect(choice.backend == .termios)
    #expect(choice.device == pty.path)
    #expect(choice.reason.contains("pseudo-terminal"))

    let log = CapturedLog()
    let link = try SerialLinkFactory.open(
      HardwareSettings.SerialPort(address: .path(pty.path), reconnect: .zero), logger: log.logger)
    #expect(link is TermiosSerialLink)
    #expect(
      log.messages == [
        "info: console: \(pty.path) → \(pty.path) via termios (a pseudo-terminal, which libserialport cannot open)"
      ])
    pty.send("boot\r\n")
    #expect(try await readText(link, until: "boot\r\n") == "boot\r\n")
    try await link.write(Array("hello\n".utf8), deadline: .now + .seconds(1))
    #expect(pty.receive(count: 6) == "hello\n")
    await link.close()
  }

  @Test("a symlink to a pseudo-terminal, as socat makes, is served by termios too")
  func symlinkToPseudoTerminal() throws {
    let pty = try DevicePTY()
    defer { pty.close() }
    let folder = try ScratchFolder()
    let path = try folder.link("usb-Fake_Board_1234-if00", to: pty.path)
    let choice = try SerialLinkFactory.choose(path: path)
    #expect(choice.backend == .termios)
    #expect(choice.device == pty.path)
  }

  @Test("a tty libserialport cannot find in sysfs falls back to termios, naming why")
  func notInSysfs() throws {
    // /dev/tty is a tty with no /sys/class/tty entry of that name for libserialport to read.
    let choice = try SerialLinkFactory.choose(path: "/dev/null")
    #expect(choice.backend == .termios)
    #expect(choice.reason.hasPrefix("libserialport cannot look it up in /sys/class/tty: "))
  }

  @Test(
    "a port the kernel lists goes to libserialport",
    .enabled(if: FileManager.default.fileExists(atPath: "/sys/class/tty/ttyS0")))
  func kernelPort() throws {
    let choice = try SerialLinkFactory.choose(path: "/dev/ttyS0")
    #expect(choice.backend == .libserialport)
    #expect(choice.description == "/dev/ttyS0 via libserialport (a serial port the kernel lists)")
  }

  @Test("a port that is not there is 'hardware unavailable', naming it and what to check")
  func missing() throws {
    for path in ["/dev/ttyACM99", "/dev/serial/by-id/usb-NXP_MCU-LINK_ABC-if02"] {
      #expect {
        _ = try SerialLinkFactory.open(
          HardwareSettings.SerialPort(address: .path(path)), logger: CapturedLog().logger)
      } throws: { error in
        let rig = error as? RigError
        return rig?.code == .hardwareUnavailable
          && rig?.message.hasPrefix(
            "serial port \(path) not found (is the board plugged in and powered?") == true
      }
    }
  }

  @Test("a device that is not a tty is refused as not a serial port")
  func notATTY() throws {
    #expect {
      _ = try SerialLinkFactory.open(
        HardwareSettings.SerialPort(address: .path("/dev/null")), logger: CapturedLog().logger)
    } throws: { error in
      (error as? RigError)?.message.hasPrefix("/dev/null is not a serial port") == true
    }
  }

  @Test("libserialport on a port that does not exist says so")
  func libserialportMissing() throws {
    #expect {
      _ = try LibSerialPortLink(path: "/dev/ttyUSB99", baud: 115_200)
    } throws: { error in
      let rig = error as? RigError
      return rig?.code == .hardwareUnavailable
        && rig?.message.hasPrefix("serial port /dev/ttyUSB99 not found") == true
    }
  }

  @Test("libserialport opened by a USB match that nothing here answers says so")
  func libserialportUSBMatch() throws {
    #expect {
      _ = try LibSerialPortLink(
        matching: HardwareSettings.USBMatch(vendorID: 0x0403, productID: 0x6001, serial: "RIG0001"),
        baud: 115_200)
    } throws: { error in
      (error as? RigError)?.message.hasPrefix(
        "no USB serial port matches 0403:6001 serial \"RIG0001\"; ") == true
    }
  }

  @Test("a USB match with no such port here lists what is here")
  func usbNoMatch() throws {
    let settings = HardwareSettings.SerialPort(
      address: .usb(HardwareSettings.USBMatch(vendorID: 0x1FC9, productID: 0x0143, serial: "NOPE")))
    #expect {
      _ = try SerialLinkFactory.open(settings, logger: CapturedLog().logger)
    } throws: { error in
      let rig = error as? RigError
      return rig?.code == .hardwareUnavailable
        && rig?.message.hasPrefix("no USB serial port matches 1fc9:0143 serial \"NOPE\"; ") == true
    }
  }
}

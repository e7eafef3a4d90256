// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

@testable import RigHardware

/// A port that vanishes and comes back: a pseudo-terminal behind a by-id style symlink, closed
/// and re-created, as a USB adapter that is unplugged and plugged in again.
@Suite("serial link reconnection", .timeLimit(.minutes(TestTime.minutes(1))))
struct SerialReconnectTests {
  @Test("a port that comes back within the reconnect time is reopened, and reading goes on")
  func comesBack() async throws {
    let folder = try ScratchFolder()
    let first = try DevicePTY()
    let path = try folder.link("usb-Fake_Board_0001-if00", to: first.path)
    let log = CapturedLog()
    let link = try SerialLinkFactory.open(
      HardwareSettings.SerialPort(address: .path(path), reconnect: .seconds(10)), logger: log.logger
    )
    #expect(link is ReconnectingSerialLink)

    first.send("before\n")
    #expect(try await readText(link, until: "before\n").hasSuffix("before\n"))

    // Unplugged: the device side goes away and its name with it.
    first.close()
    folder.remove("usb-Fake_Board_0001-if00")
    #expect(
      try await link.read(until: .now + .milliseconds(200)) == nil,
      "gone, but within the reconnect time")

    // Plugged in again: a new tty under the same name.
    let second = try DevicePTY()
    defer { second.close() }
    try folder.link("usb-Fake_Board_0001-if00", to: second.path)
    var received = ""
    let deadline = ContinuousClock.now + .seconds(5)
    while !received.contains("after\n") && ContinuousClock.now < deadline {
      // The device keeps talking; what it sent before the host reopened is lost, as on a wire.
      second.send("after\n")
      if let chunk = try await link.read(until: .now + .milliseconds(100)) {
        received += String(decoding: chunk.bytes, as: UTF8.self)
      }
    }
    #expect(received.contains("after\n"))
    try await link.write(Array("hello\n".utf8), deadline: .now + .seconds(1))
    #expect(second.receive(count: 6).hasSuffix("hello\n"))
    await link.close()

    let messages = log.messages.joined(separator: "\n")
    #expect(messages.contains("warning: serial port \(path): it disappeared (the device hung up)"))
    #expect(messages.contains("waiting up to 10s for serial port \(path) to come back"))
    #expect(messages.contains("notice: serial port \(path) is back after"))
    #expect(messages.contains("info: console: \(path) → \(second.path) via termios"))
  }

  @Test("a port that stays away gives an error naming it and how long rig waited")
  func staysAway() async throws {
    let folder = try ScratchFolder()
    let pty = try DevicePTY()
    let path = try folder.link("usb-Fake_Board_0002-if00", to: pty.path)
    let link = try SerialLinkFactory.open(
      HardwareSettings.SerialPort(address: .path(path), reconnect: .milliseconds(300)),
      logger: CapturedLog().logger)
    pty.close()
    folder.remove("usb-Fake_Board_0002-if00")
    let start = ContinuousClock.now
    await #expect {
      while try await link.read(until: .now + .seconds(60)) != nil {}
    } throws: { error in
      let message = (error as? RigError)?.message ?? ""
      return message.hasPrefix(
        "serial port \(path) disappeared and did not come back within 300ms (serial port \(path): it disappeared (the device hung up)"
      )
        && message.contains("last attempt to reopen: serial port \(path) not found")
    }
    #expect(ContinuousClock.now - start >= .milliseconds(300))
    // Well before the read's own 60 s deadline, with room for a loaded machine.
    #expect(ContinuousClock.now - start < TestTime.scaled(.seconds(30)))
    await link.close()
  }

  @Test("without reconnection a vanished port is an error at once, naming it")
  func noReconnect() async throws {
    let pty = try DevicePTY()
    let link = try SerialLinkFactory.open(
      HardwareSettings.SerialPort(address: .path(pty.path), reconnect: .zero),
      logger: CapturedLog().logger)
    pty.send("last words\n")
    #expect(try await readText(link, until: "\n") == "last words\n")
    pty.close()
    await #expect {
      while try await link.read(until: .now + .seconds(5)) != nil {}
    } throws: { error in
      (error as? RigError)?.message.hasPrefix(
        "serial port \(pty.path): it disappeared (the device hung up)") == true
    }
    await link.close()
  }
}

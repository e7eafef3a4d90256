// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite struct RigLoaderHardwareTests {
  typealias H = HardwareSettings

  private func load(_ text: String) throws -> RigConfiguration {
    let dir = try TemporaryDirectory()
    return try RigLoader.load(try dir.write("bench.yaml", text))
  }

  private func problems(_ text: String) throws -> [ConfigIssue] {
    let dir = try TemporaryDirectory()
    let file = try dir.write("bench.yaml", text)
    return issues { () throws(ConfigError) in try RigLoader.load(file) }
  }

  @Test("reads every section of a GPIO-wired bench")
  func readsGPIOBench() throws {
    let rig = try load(
      """
      rig: bench-01
      board: mimxrt1060-evk
      timing: { power_off: 500ms, boot_timeout: 10s, command_timeout: 2s, hang_timeout: 5s }
      power:     { gpio: { chip: gpiochip0, line: GPIO17, active_low: false, drive: push-pull }, on_delay: 50ms, off_delay: 20ms }
      reset:     { gpio: { line: GPIO27, active_low: true, drive: open-drain }, pulse: 100ms }
      boot_mode: { gpio: { lines: [GPIO5, GPIO6] }, serial_downloader: [0, 1], internal: [1, 0] }
      console:   { port: /dev/serial/by-id/usb-NXP_MCU-LINK-if02, baud: 115200, flow: none, reconnect: 10s }
      result_pin: { gpio: { line: GPIO22 }, edge: rising }
      camera:    { emulator: { port: /dev/serial/by-id/usb-rig_camera_emulator_E66-if00 } }
      flasher:   { preset: pyocd, probe: "0229000041114e4500391015" }
      """)
    #expect(rig.simulation == nil)
    #expect(rig.timing.powerOffTime == .milliseconds(500))
    let h = try #require(rig.hardware)
    #expect(
      h.power
        == H.Power(
          control: .line(.gpio(H.GPIOLine(chip: "gpiochip0", line: "GPIO17"))),
          onDelay: .milliseconds(50), offDelay: .milliseconds(20)))
    #expect(
      h.reset
        == H.Reset(
          control: .line(.gpio(H.GPIOLine(line: "GPIO27", activeLow: true, drive: .openDrain))),
          pulse: .milliseconds(100)))
    #expect(
      h.bootMode?.lines == [.gpio(H.GPIOLine(line: "GPIO5")), .gpio(H.GPIOLine(line: "GPIO6"))])
    #expect(
      h.bootMode?.patterns == ["serial_downloader": [false, true], "internal": [true, false]])
    #expect(
      h.console
        == H.SerialPort(
          address: .path("/dev/serial/by-id/usb-NXP_MCU-LINK-if02"), baud: 115_200, flow: .none,
          reconnect: .seconds(10)))
    #expect(h.resultPin == H.ResultPin(line: H.GPIOLine(line: "GPIO22"), edge: .rising))
    #expect(
      h.camera?.emulator.address == .path("/dev/serial/by-id/usb-rig_camera_emulator_E66-if00"))
    #expect(
      h.flasher
        == H.Flasher(method: .external(.pyocd(probe: "0229000041114e4500391015"))))
  }

  @Test("reads FTDI pins, command power, a reset command and a USB-matched console")
  func readsAlternatives() throws {
    let rig = try load(
      """
      rig: bench-02
      board: teensy41
      power:
        command:
          on:  [uhubctl, -l, "1-1", -p, 2, -a, on]
          off: [uhubctl, -l, "1-1", -p, 2, -a, off]
          timeout: 5s
      reset: { command: { run: [/usr/local/bin/reset-dut, "--hold", 100ms] } }
      boot_mode: { ftdi: { device: "0403:6014:FT123456", pins: [5, 6], mode: bitbang, active_low: true },
                   serial_downloader: [false, true], internal: [true, false] }
      console: { usb: { vid: 0x1fc9, pid: "0143", serial: "ABC123", product: MCU-LINK on-board }, baud: 921600, flow: rtscts, reconnect: 0s }
      """)
    let h = try #require(rig.hardware)
    let uhubctl = ["uhubctl", "-l", "1-1", "-p", "2", "-a"]
    #expect(
      h.power.control
        == .command(
          on: H.Command(argv: uhubctl + ["on"], timeout: .seconds(5)),
          off: H.Command(argv: uhubctl + ["off"], timeout: .seconds(5))))
    #expect(
      h.reset?.control
        == .command(
          H.Command(argv: ["/usr/local/bin/reset-dut", "--hold", "100ms"], timeout: .seconds(10))))
    let pin = { (n: Int) in
      H.OutputLine.ftdi(
        H.FTDIPin(device: "0403:6014:FT123456", pin: n, mode: .bitbang, activeLow: true))
    }
    #expect(h.bootMode?.lines == [pin(5), pin(6)])
    #expect(
      h.console
        == H.SerialPort(
          address: .usb(
            H.USBMatch(
              vendorID: 0x1FC9, productID: 0x0143, serial: "ABC123", product: "MCU-LINK on-board")),
          baud: 921_600, flow: .rtscts, reconnect: .zero))
    #expect(h.resultPin == nil && h.camera == nil && h.flasher == nil)
  }

  @Test("reads an FTDI power pin with its defaults")
  func ftdiPower() throws {
    let rig = try load(
      """
      rig: bench-03
      board: mimxrt1060-evk
      power: { ftdi: { device: "s:0x0403:0x6001:A10K", pin: 2, mode: cbus } }
      console: { port: /dev/ttyUSB0 }
      """)
    let h = try #require(rig.hardware)
    #expect(
      h.power
        == H.Power(
          control: .line(.ftdi(H.FTDIPin(device: "s:0x0403:0x6001:A10K", pin: 2, mode: .cbus)))))
    #expect(h.console == H.SerialPort(address: .path("/dev/ttyUSB0")))
    #expect(h.console.reconnect == .seconds(10))
  }

  @Test("a rig with both simulated and hardware sections names the hardware sections")
  func bothKinds() throws {
    let found = try problems(
      """
      rig: x
      board: b
      simulated: {}
      power: { gpio: { line: GPIO17 } }
      console: { port: /dev/ttyACM0 }
      """)
    #expect(
      brief(found) == [
        "4:1: power: a simulated rig has no power: section",
        "5:1: console: a simulated rig has no console: section",
      ])
  }

  @Test("a hardware rig needs console and power, and says so")
  func needsConsoleAndPower() throws {
    let found = try problems("rig: x\nboard: b\nreset: { gpio: { line: GPIO27 } }\n")
    #expect(
      brief(found) == [
        "1:1: console: missing required key 'console'",
        "1:1: power: missing required key 'power'",
      ])
    #expect(found.allSatisfy { $0.hint?.contains("a hardware rig needs console:") == true })
  }

  @Test("reports every mistake in the hardware sections with line, column and a suggestion")
  func mistakes() throws {
    let found = try problems(
      """
      rig: bench-01
      board: mimxrt1060-evk
      power: { gpio: { line: 17 }, ftdi: { device: x, pin: 9 }, on_dealy: 50ms }
      reset: { gpio: { line: GPIO27, drive: open-drian }, pulse: 0s }
      boot_mode: { gpio: { lines: [GPIO5, GPIO6] }, serial_downloader: [0, 1, 1], internal: [1, 2] }
      consle: { port: /dev/ttyACM0 }
      result_pin: { gpio: { line: GPIO22 }, edge: rissing }
      camera: { emulator: { port: ttyACM1, usb: { vid: 0xZZ } } }
      """)
    #expect(
      brief(found) == [
        "1:1: console: missing required key 'console'",
        "3:24: power.gpio.line: line 17 is an offset, which needs a chip",
        "3:30: power.ftdi: power has both gpio: and ftdi:",
        "3:54: power.ftdi.pin: 9 is out of range",
        "3:59: power.on_dealy: unknown key 'on_dealy'",
        "4:39: reset.gpio.drive: 'open-drian' is not a drive mode",
        "4:60: reset.pulse: 0s is out of range",
        "5:66: boot_mode.serial_downloader: 3 levels for 2 boot-mode lines",
        "5:91: boot_mode.internal[1]: expected a level, 0 or 1, found 2",
        "6:1: consle: unknown key 'consle'",
        "7:45: result_pin.edge: 'rissing' is not an edge",
        "8:29: camera.emulator.port: 'ttyACM1' is not a device path",
        "8:38: camera.emulator.usb: camera.emulator has both port: and usb:",
        "8:50: camera.emulator.usb.vid: expected a USB id in hex such as 0x1fc9, found 0xZZ",
      ])
    let hints = Dictionary(found.map { ($0.path, $0.hint ?? "") }, uniquingKeysWith: { a, _ in a })
    #expect(hints["power.on_dealy"] == "did you mean 'on_delay'?")
    #expect(hints["reset.gpio.drive"] == "did you mean 'open-drain'?")
    #expect(hints["consle"] == "did you mean 'console'?")
    #expect(hints["result_pin.edge"] == "did you mean 'rising'?")
    #expect(hints["power.gpio.line"]?.contains("line: GPIO17") == true)
    #expect(hints["power.ftdi.pin"] == "allowed: 0 to 7")
  }

  @Test("a command must be a list of words, never a shell line")
  func commandIsList() throws {
    let found = try problems(
      """
      rig: x
      board: b
      power: { command: { on: "uhubctl -a on", off: [] } }
      console: { port: /dev/ttyACM0, baud: 10 }
      """)
    #expect(
      brief(found) == [
        "3:25: power.command.on: expected a command as a list of words, found \"uhubctl -a on\"",
        "3:47: power.command.off: the command is empty",
        "4:38: console.baud: 10 is out of range",
      ])
    #expect(found[0].hint == "write [program, arg1, arg2]; commands never run through a shell")
  }

  @Test("boot-mode patterns must both be given and differ")
  func bootModePatterns() throws {
    let found = try problems(
      """
      rig: x
      board: b
      power: { gpio: { line: GPIO17 } }
      console: { port: /dev/ttyACM0 }
      boot_mode: { gpio: { lines: [GPIO5, GPIO6] }, internal: [1, 0] }
      """)
    #expect(
      brief(found) == [
        "5:12: boot_mode.serial_downloader: missing required key 'serial_downloader'"
      ])
    let same = try problems(
      """
      rig: x
      board: b
      power: { gpio: { line: GPIO17 } }
      console: { port: /dev/ttyACM0 }
      boot_mode: { gpio: { lines: [GPIO5, GPIO6] }, internal: [1, 0], serial_downloader: [1, 0] }
      """)
    #expect(
      brief(same) == [
        "5:84: boot_mode.serial_downloader: serial_downloader and internal set the same levels"
      ])
  }
}

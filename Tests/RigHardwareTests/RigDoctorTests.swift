// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import Testing

@testable import RigHardware

/// A machine as the doctor sees it, set up per test.
struct DoctorFakeMachine: DoctorEnvironment {
  var isRoot = false
  var userName = "pi"
  var groups: Set<String> = ["dialout", "gpio", "plugdev"]
  var session: Set<String> = ["dialout", "gpio", "plugdev"]
  var configured: Set<String> = ["dialout", "gpio", "plugdev"]
  var udevRules = ["/etc/udev/rules.d/99-rig.rules"]
  var nodes: [String: DeviceNode] = [:]
  var ports: [SerialPortInfo] = []
  var lines: [String: GPIOLineLocation] = [:]
  var ftdi: [FTDIDeviceInfo] = []
  var programs: [String: String] = [:]
  /// Opens the camera emulator's port for the handshake; nil: every open fails.
  var serial: (@Sendable (HardwareSettings.SerialPort) throws -> any SerialLink)?
  /// The flashloader a rig file names is read from this machine.
  var files: any FileAccess = LocalFileAccess()

  func groupExists(_ group: String) -> Bool { groups.contains(group) }
  func inSession(_ group: String) -> Bool { session.contains(group) }
  func isConfiguredMember(_ group: String) -> Bool { configured.contains(group) }
  func installedUdevRules() -> [String] { udevRules }
  func node(_ path: String) -> DeviceNode { nodes[path] ?? .missing }
  func serialPorts() throws -> [SerialPortInfo] { ports }
  func locate(_ line: HardwareSettings.GPIOLine) throws -> GPIOLineLocation {
    guard let found = lines[line.line] else {
      throw RigError(.hardwareUnavailable, "GPIO line '\(line.line)' not found on any GPIO chip")
    }
    return found
  }
  func ftdiDevices() throws -> [FTDIDeviceInfo] { ftdi }
  func program(_ name: String) -> String? { programs[name] }
  func openSerial(_ port: HardwareSettings.SerialPort) throws -> any SerialLink {
    guard let serial else {
      throw RigError(.hardwareUnavailable, "serial port \(port.address) cannot be opened here")
    }
    return try serial(port)
  }

  static func line(_ name: String, offset: Int, consumer: String? = nil) -> GPIOLineLocation {
    GPIOLineLocation(
      chipName: "gpiochip0", chipLabel: "pinctrl-bcm2711", chipPath: "/dev/gpiochip0",
      offset: offset,
      line: GPIOLineInfo(offset: offset, name: name, consumer: consumer, used: consumer != nil))
  }
}

@Suite("rig doctor's checks")
struct RigDoctorTests {
  typealias H = HardwareSettings
  static let byID = "/dev/serial/by-id/usb-NXP_MCU-LINK_ABC-if02"

  static func rig(
    power: H.Power.Switch = .line(.gpio(H.GPIOLine(line: "GPIO17"))),
    console: H.SerialPort.Address = .path(byID), bootMode: H.BootModePins? = nil
  ) -> RigConfiguration {
    RigConfiguration(
      name: "bench-01", file: URL(fileURLWithPath: "/work/Rigs/bench-01.yaml"),
      board: "mimxrt1060-evk",
      simulation: nil,
      hardware: H(
        power: H.Power(control: power), bootMode: bootMode, console: H.SerialPort(address: console))
    )
  }

  static var ready: DoctorFakeMachine {
    var machine = DoctorFakeMachine()
    machine.nodes[byID] = .device(resolved: "/dev/ttyACM0", readWrite: true, group: "dialout")
    machine.lines["GPIO17"] = DoctorFakeMachine.line("GPIO17", offset: 17)
    return machine
  }

  @Test("a ready bench gets one ok line per check and exit 0")
  func ready() {
    let checks = RigDoctor(environment: Self.ready).check(Self.rig())
    #expect(
      checks.map(\.description) == [
        "ok    rig file /work/Rigs/bench-01.yaml: rig 'bench-01' (mimxrt1060-evk)",
        "ok    group dialout: pi is a member (serial ports)",
        "ok    group gpio: pi is a member (/dev/gpiochip*)",
        "ok    udev rules: installed: /etc/udev/rules.d/99-rig.rules",
        "ok    power GPIO GPIO17: GPIO17 (gpiochip0 line 17) [pinctrl-bcm2711], free",
        "ok    console \(Self.byID): \(Self.byID) → /dev/ttyACM0, readable and writable, 115200 baud",
      ])
    #expect(RigDoctor.exitStatus(checks) == .allPassed)
  }

  @Test("a line held by another program names the holder and what to do")
  func busyLine() {
    var machine = Self.ready
    machine.lines["GPIO17"] = DoctorFakeMachine.line("GPIO17", offset: 17, consumer: "gpio-fan")
    let checks = RigDoctor(environment: machine).check(Self.rig())
    let power = checks.first { $0.subject == "power GPIO GPIO17" }
    #expect(power?.status == .problem)
    #expect(power?.detail == "line GPIO17 on gpiochip0 is busy (held by gpio-fan)")
    #expect(power?.fix?.contains("gpioinfo") == true)
    #expect(RigDoctor.exitStatus(checks) == .hardwareUnavailable)

    machine.lines["GPIO17"] = DoctorFakeMachine.line("GPIO17", offset: 17, consumer: "rig-power")
    let byRig = RigDoctor(environment: machine).check(Self.rig()).first {
      $0.subject == "power GPIO GPIO17"
    }
    #expect(byRig?.fix?.contains("in another process holds it") == true)
  }

  @Test("a console without permission names its group and the fix")
  func noPermission() {
    var machine = Self.ready
    machine.nodes[Self.byID] = .device(resolved: "/dev/ttyACM0", readWrite: false, group: "dialout")
    machine.session = ["gpio"]
    machine.configured = ["gpio"]
    let checks = RigDoctor(environment: machine).check(Self.rig())
    #expect(
      checks.contains(
        DoctorCheck(
          .warning, "group dialout", "pi is not a member (serial ports)",
          fix: "sudo usermod -aG dialout pi, then log out and in again")))
    let console = checks.last
    #expect(console?.status == .problem)
    #expect(
      console?.detail
        == "\(Self.byID) → /dev/ttyACM0: no permission to read and write it (its group is dialout)")
    #expect(
      console?.fix == "sudo usermod -aG dialout pi, then log in again; or install Rigs/99-rig.rules"
    )
  }

  @Test("a group added since this login says to log in again")
  func groupAddedSinceLogin() {
    var machine = Self.ready
    machine.session = ["dialout"]
    let checks = RigDoctor(environment: machine).check(Self.rig())
    #expect(
      checks.contains(
        DoctorCheck(
          .warning, "group gpio",
          "pi was added, but this login started before that (/dev/gpiochip*)",
          fix: "log out and in again, or run `newgrp gpio`")))
    #expect(RigDoctor.exitStatus(checks) == .allPassed, "a warning alone does not fail")
  }

  @Test("a USB-matched console is looked up among the ports; FTDI pins among the FTDI chips")
  func usbAndFTDI() {
    var machine = Self.ready
    machine.ports = [
      SerialPortInfo(
        path: "/dev/ttyACM0", transport: "usb",
        usb: USBDeviceInfo(vendorID: 0x1FC9, productID: 0x0143, serial: "ABC"))
    ]
    machine.nodes["/dev/ttyACM0"] = .device(
      resolved: "/dev/ttyACM0", readWrite: true, group: "dialout")
    machine.ftdi = [
      FTDIDeviceInfo(
        vendor: 0x0403, product: 0x6014, manufacturer: "FTDI", description: "C232HM-DDHSL-0",
        serial: "FT1", bus: 1, address: 4)
    ]
    let pins = H.BootModePins(
      lines: [
        .ftdi(H.FTDIPin(device: "0403:6014:FT1", pin: 5)),
        .ftdi(H.FTDIPin(device: "0403:6014:FT2", pin: 6)),
      ],
      patterns: ["internal": [true, false], "serial_downloader": [false, true]])
    let rig = Self.rig(
      console: .usb(H.USBMatch(vendorID: 0x1FC9, productID: 0x0143)), bootMode: pins)
    let checks = RigDoctor(environment: machine).check(rig)
    let text = checks.map(\.description)
    #expect(text.contains("ok    group plugdev: pi is a member (FTDI chips over USB)"))
    #expect(
      text.contains(
        "ok    boot-mode line 1 FTDI 0403:6014:FT1 pin 5: \"C232HM-DDHSL-0\" on bus 1 address 4"))
    #expect(
      text.contains {
        $0.hasPrefix(
          "FAIL  boot-mode line 2 FTDI 0403:6014:FT2 pin 6: no FTDI device matches 0403:6014:FT2; FTDI devices here: \"0403:6014:FT1\""
        )
      })
    #expect(
      text.last == "ok    console USB 1fc9:0143: /dev/ttyACM0, readable and writable, 115200 baud")
  }

  @Test("a bad FTDI selector is a rig-file problem: exit 78")
  func badSelector() {
    let pins = H.BootModePins(
      lines: [.ftdi(H.FTDIPin(device: "x:bogus", pin: 5))],
      patterns: ["internal": [true], "serial_downloader": [false]])
    let checks = RigDoctor(environment: Self.ready).check(Self.rig(bootMode: pins))
    #expect(
      checks.contains {
        $0.status == .badConfig && $0.subject == "boot-mode line 1 FTDI x:bogus pin 5"
      })
    #expect(RigDoctor.exitStatus(checks) == .badConfiguration)
  }

  @Test("command power checks that its programs are there")
  func commandPower() {
    var machine = Self.ready
    machine.programs["uhubctl"] = "/usr/sbin/uhubctl"
    let on = H.Command(argv: ["uhubctl", "-a", "on"])
    let off = H.Command(argv: ["/opt/pdu/off", "2"])
    let checks = RigDoctor(environment: machine).check(Self.rig(power: .command(on: on, off: off)))
    #expect(
      checks.contains(DoctorCheck(.ok, "power on command", "`uhubctl -a on` (/usr/sbin/uhubctl)")))
    #expect(
      checks.contains(
        DoctorCheck(
          .problem, "power off command",
          "`/opt/pdu/off 2`: '/opt/pdu/off' is not an executable file",
          fix: "check the path in the rig file")))
    #expect(
      !checks.contains { $0.subject.hasPrefix("group gpio") }, "no GPIO line, no gpio group needed")
  }

  @Test("without udev rules there is a warning with the commands that install them")
  func udev() {
    var machine = Self.ready
    machine.udevRules = []
    let check = RigDoctor(environment: machine).check(Self.rig()).first {
      $0.subject == "udev rules"
    }
    #expect(check?.status == .warning)
    #expect(check?.fix?.hasPrefix("sudo cp Rigs/99-rig.rules /etc/udev/rules.d/") == true)
  }
}

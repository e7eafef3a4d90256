// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Testing

@testable import RigHardware

/// A serial port must be a terminal: `/dev/null` and `/dev/zero` are character devices that
/// read and write, and the doctor said 'ok … readable and writable, 115200 baud' of them.
@Suite("rig doctor on devices that are not serial ports")
struct DoctorTerminalTests {
  @Test("this machine's /dev/null and /dev/zero are not terminals; a pseudo-terminal is")
  func systemNodes() throws {
    let environment = SystemDoctorEnvironment()
    #expect(environment.node("/dev/null") == .notTerminal(resolved: "/dev/null"))
    #expect(environment.node("/dev/zero") == .notTerminal(resolved: "/dev/zero"))
    let pty = try DevicePTY()
    let name = pty.path
    guard case .device(let resolved, _, _) = environment.node(name) else {
      Issue.record("\(name) is \(environment.node(name))")
      return
    }
    #expect(resolved == name)
  }

  @Test("the kernel's tty driver list is read by major number and minor range")
  func driverList() {
    let drivers = TerminalDrivers(
      parsing: """
        /dev/tty             /dev/tty        5       0 system:/dev/tty
        serial               /dev/ttyS       4 64-111 serial
        acm                  /dev/ttyACM   166 0-255 serial
        pty_slave            /dev/pts      136 0-1048575 pty:slave

        """)
    func device(_ major: UInt64, _ minor: UInt64) -> UInt64 {
      (major & 0xFFF) << 8 | (major & ~0xFFF) << 32 | (minor & 0xFF) | (minor & ~0xFF) << 12
    }
    #expect(drivers.isTerminal(device: device(166, 0)))
    #expect(drivers.isTerminal(device: device(4, 64)))
    #expect(!drivers.isTerminal(device: device(4, 1)), "tty1..63 are not in this list")
    #expect(drivers.isTerminal(device: device(136, 300_000)), "a minor above 255")
    #expect(!drivers.isTerminal(device: device(1, 3)), "/dev/null")
  }

  @Test("a console on /dev/null fails its check, and the emulator's port is not opened")
  func consoleOnNull() async {
    var machine = RigDoctorTests.ready
    machine.nodes[RigDoctorTests.byID] = .notTerminal(resolved: "/dev/null")
    let checks = RigDoctor(environment: machine).check(RigDoctorTests.rig())
    #expect(
      checks.last
        == DoctorCheck(
          .problem, "console \(RigDoctorTests.byID)",
          "/dev/null is a device but not a serial port (no tty driver owns it)",
          fix: "name the console's serial port in the rig file; `rig devices` lists them"))
    #expect(RigDoctor.exitStatus(checks) == .hardwareUnavailable)
  }

  @Test("a port that will not open gets the fix for why it would not")
  func openFixes() {
    #expect(RigDoctor.openFix("/dev/ttyACM1 is busy (locked by pid 42)").contains("close whatever"))
    #expect(RigDoctor.openFix("Permission denied").contains("dialout"))
    #expect(
      RigDoctor.openFix("/dev/zero is not a serial port (Inappropriate ioctl for device)")
        == "check that the rig file names the emulator's serial port (`rig devices` lists them)")
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSimulator
import RigTestSupport
import Testing

@testable import RigHardware

@Suite("rig doctor and the camera emulator: its port, then its link handshake", .timeLimit(.minutes(TestTime.minutes(1))))
struct RigDoctorCameraTests {
  typealias H = HardwareSettings
  static let cameraPort = "/dev/serial/by-id/usb-Raspberry_Pi_rig_camera_emulator_E661-if00"

  static func rig(camera: Bool = true) -> RigConfiguration {
    RigConfiguration(
      name: "bench-01", file: URL(fileURLWithPath: "/work/Rigs/bench-01.yaml"),
      board: "mimxrt1060-evk", simulation: nil,
      hardware: H(
        power: H.Power(control: .line(.gpio(H.GPIOLine(line: "GPIO17")))),
        console: H.SerialPort(address: .path(RigDoctorTests.byID)),
        camera: camera ? H.Camera(emulator: H.SerialPort(address: .path(cameraPort))) : nil))
  }

  /// Opens of the emulator's port, counted from any thread.
  final class OpenCount: Sendable {
    private let value = Locked(0)
    func add() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
  }

  /// The ready machine, with the emulator's port present; `open` opens it.
  static func machine(open: (@Sendable () throws -> any SerialLink)?) -> DoctorFakeMachine
  {
    var machine = RigDoctorTests.ready
    machine.nodes[cameraPort] = .device(resolved: "/dev/ttyACM1", readWrite: true, group: "dialout")
    if let open {
      machine.serial = { port in
        #expect(port.address == .path(cameraPort))
        return try open()
      }
    }
    return machine
  }

  @Test("an absent emulator port fails naming the port, no handshake is tried, and exit is 69")
  func absent() async {
    let opens = OpenCount()
    var machine = Self.machine(open: {
      opens.add()
      throw RigError(.internal, "not reached")
    })
    machine.nodes[Self.cameraPort] = nil
    let checks = await RigDoctor(environment: machine).check(Self.rig(), handshakeWithin: .seconds(1))
    #expect(
      checks.last
        == DoctorCheck(
          .problem, "camera emulator \(Self.cameraPort)", "not found",
          fix: "plug in the board's USB cable and power it; `rig devices` lists the ports; "
            + "a by-id name holds the adapter's serial number"))
    #expect(opens.count == 0)
    #expect(RigDoctor.exitStatus(checks) == .hardwareUnavailable)
  }

  @Test("an emulator that answers HELLO is ok, with what it says about itself")
  func answers() async throws {
    let emulator = try SimulatedEmulator(ramBytes: 320 * 1024, pseudoTerminal: true, readsFrames: false)
    let tty = try #require(emulator.devicePath)
    let machine = Self.machine { try TermiosSerialLink(path: tty, baud: 115_200) }
    // Generous: a loaded test machine can hold up the tasks for seconds.
    let checks = await RigDoctor(environment: machine).check(Self.rig(), handshakeWithin: .seconds(30))
    await emulator.close()
    let last = try #require(checks.last)
    #expect(last.status == .ok, "\(last)")
    #expect(last.subject == "camera emulator link \(Self.cameraPort)")
    #expect(last.detail.hasSuffix(
      "answered HELLO: link protocol v1, Mini 2MP, 320 KiB frame RAM, formats gray8, rgb565be, jpeg"))
    #expect(checks.dropLast().last?.subject == "camera emulator \(Self.cameraPort)")
    #expect(RigDoctor.exitStatus(checks) == .allPassed)
  }

  @Test("a port where nothing answers fails within the deadline, naming the port and what to check")
  func silent() async throws {
    let device = try DevicePTY()
    defer { device.close() }
    let machine = Self.machine { try TermiosSerialLink(path: device.path, baud: 115_200) }
    let start = ContinuousClock.now
    let checks = await RigDoctor(environment: machine).check(
      Self.rig(), handshakeWithin: .milliseconds(600))
    let took = ContinuousClock.now - start
    let last = try #require(checks.last)
    #expect(last.status == .problem)
    #expect(last.subject == "camera emulator link \(Self.cameraPort)")
    #expect(last.detail == "no answer to the link handshake (HELLO) within 600ms")
    #expect(last.fix?.contains("rig's emulator firmware (link protocol v1)") == true)
    // It waits out the deadline, and no more than a loaded machine adds.
    #expect(took >= .milliseconds(600) && took < TestTime.scaled(.seconds(50)), "\(took)")
    #expect(!device.receive(count: 1, within: 0.5).isEmpty, "the doctor sent HELLO")
    #expect(RigDoctor.exitStatus(checks) == .hardwareUnavailable)
  }

  @Test("a port that cannot be opened says so with the backend's reason")
  func cannotOpen() async throws {
    let machine = Self.machine {
      throw RigError(.hardwareUnavailable, "serial port /dev/ttyACM1 is busy")
    }
    let checks = await RigDoctor(environment: machine).check(Self.rig(), handshakeWithin: .seconds(1))
    #expect(
      checks.last
        == DoctorCheck(
          .problem, "camera emulator link \(Self.cameraPort)",
          "cannot open it: serial port /dev/ttyACM1 is busy",
          fix: "close whatever else has the port open (a serial terminal, another rig run)"))
  }

  @Test("a rig without camera: has no camera checks and opens nothing")
  func noCamera() async {
    let opens = OpenCount()
    let machine = Self.machine {
      opens.add()
      throw RigError(.internal, "not reached")
    }
    let checks = await RigDoctor(environment: machine).check(
      Self.rig(camera: false), handshakeWithin: .seconds(1))
    #expect(!checks.contains { $0.subject.hasPrefix("camera") })
    #expect(opens.count == 0)
    #expect(RigDoctor.exitStatus(checks) == .allPassed)
  }
}

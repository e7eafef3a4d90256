// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging
import RigCore
import RigSimulator
import RigTestSupport
import Testing

@testable import RigHardware

/// Entries appended from any task.
private final class Trace: Sendable {
  private let entries = Locked<[String]>([])
  func withLock<T>(_ body: (inout [String]) -> T) -> T { entries.withLock { body(&$0) } }
}

/// Devices that record what was opened and released, and fail where told to.
private final class FakeDevices: HardwareDevices {
  let trace = Trace()
  /// The consumer (or "console") whose open fails.
  let failing: String?
  /// How many opens of `failing` succeed before it fails.
  let failAfter: Int
  private let opens = Locked<[String: Int]>([:])

  init(failing: String? = nil, failAfter: Int = 0) {
    self.failing = failing
    self.failAfter = failAfter
  }

  var log: [String] { trace.withLock { $0 } }

  private func open(_ what: String, _ entry: String) throws {
    let n = opens.withLock { counts -> Int in
      counts[what, default: 0] += 1
      return counts[what]!
    }
    if what == failing && n > failAfter {
      throw RigError(.hardwareUnavailable, "\(entry) is busy (held by gpio-fan)")
    }
    trace.withLock { $0.append("open \(entry)") }
  }

  func output(_ line: HardwareSettings.OutputLine, initial: Bool, consumer: String) throws
    -> any DigitalOutput
  {
    try open(consumer, "\(consumer) \(line) at \(initial ? 1 : 0)")
    return Line(name: "\(line)", trace: trace)
  }

  func edgeInput(_ pin: HardwareSettings.ResultPin, consumer: String) throws -> any EdgeInput {
    try open(consumer, "\(consumer) \(pin.line) \(pin.edge.rawValue)")
    return Input(name: "\(pin.line)", trace: trace)
  }

  func serial(_ settings: HardwareSettings.SerialPort, role: String, logger: Logger) throws
    -> any SerialLink
  {
    try open("console", "\(role) \(settings.address)")
    return Link(name: "\(settings.address)", trace: trace)
  }

  struct Line: DigitalOutput {
    let name: String
    let trace: Trace
    func set(_ active: Bool) async throws {
      trace.withLock { $0.append("\(name)=\(active ? 1 : 0)") }
    }
    func release() async { trace.withLock { $0.append("release \(name)") } }
  }

  struct Input: EdgeInput {
    let name: String
    let trace: Trace
    func nextEdge(until deadline: ContinuousClock.Instant) async throws -> LineEdge? { nil }
    func read() async throws -> Bool { false }
    func release() async { trace.withLock { $0.append("release \(name)") } }
  }

  struct Link: SerialLink {
    let name: String
    let trace: Trace
    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {}
    func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? { nil }
    func discardInput() {}
    func close() async { trace.withLock { $0.append("close \(name)") } }
  }
}

@Suite("hardware bench: opening and closing all the parts of a rig", .timeLimit(.minutes(TestTime.minutes(1))))
struct HardwareBenchTests {
  typealias H = HardwareSettings

  static func rig(
    power: H.Power.Switch = .line(.gpio(H.GPIOLine(line: "GPIO17"))), camera: Bool = false
  ) -> RigConfiguration {
    let hardware = H(
      power: H.Power(control: power),
      reset: H.Reset(control: .line(.gpio(H.GPIOLine(line: "GPIO27", activeLow: true)))),
      bootMode: H.BootModePins(
        lines: [.gpio(H.GPIOLine(line: "GPIO5")), .gpio(H.GPIOLine(line: "GPIO6"))],
        patterns: ["internal": [true, false], "serial_downloader": [false, true]]),
      console: H.SerialPort(address: .path("/dev/ttyACM0")),
      resultPin: H.ResultPin(line: H.GPIOLine(line: "GPIO22")),
      camera: camera ? H.Camera(emulator: H.SerialPort(address: .path("/dev/ttyACM1"))) : nil)
    return RigConfiguration(
      name: "bench-01", file: URL(fileURLWithPath: "/work/Rigs/bench-01.yaml"),
      board: "mimxrt1060-evk",
      simulation: nil, hardware: hardware)
  }

  let logger = CapturedLog().logger

  @Test("every part opens at its safe level, and closes in reverse order")
  func opensAndCloses() async throws {
    let devices = FakeDevices()
    let opened = try await HardwareBench.open(
      Self.rig(), parts: Set(HardwareBench.Part.allCases), powerInitial: .off, devices: devices,
      logger: logger)
    #expect(opened.openedParts == [.power, .reset, .bootMode, .bootMode, .resultPin, .console])
    let bench = try opened.bench()
    try await bench.power.set(.on)
    try await bench.bootMode?.select(.serialDownloader)
    await bench.close()
    #expect(
      devices.log == [
        "open rig-power GPIO GPIO17 at 0",
        "open rig-reset GPIO GPIO27 (active-low) at 0",
        "open rig-boot-mode GPIO GPIO5 at 1",
        "open rig-boot-mode GPIO GPIO6 at 0",
        "open rig-result GPIO22 rising",
        "open console /dev/ttyACM0",
        "GPIO GPIO17=1",
        "GPIO GPIO5=0", "GPIO GPIO6=1",
        "close /dev/ttyACM0",
        "release GPIO22",
        "release GPIO GPIO6", "release GPIO GPIO5",
        "release GPIO GPIO27 (active-low)",
        "release GPIO GPIO17",
      ])
  }

  @Test("a console that cannot be opened releases every line already held, then names the console")
  func consoleFails() async throws {
    let devices = FakeDevices(failing: "console")
    await #expect {
      _ = try await HardwareBench.open(
        Self.rig(), parts: Set(HardwareBench.Part.allCases), powerInitial: .off, devices: devices,
        logger: logger)
    } throws: { error in
      let rig = error as? RigError
      return rig?.code == .hardwareUnavailable
        && rig?.message
          == "rig 'bench-01' (/work/Rigs/bench-01.yaml): cannot open the console (/dev/ttyACM0): "
          + "console /dev/ttyACM0 is busy (held by gpio-fan)"
    }
    let releases = devices.log.filter { !$0.hasPrefix("open") }
    #expect(
      releases == [
        "release GPIO22", "release GPIO GPIO6", "release GPIO GPIO5",
        "release GPIO GPIO27 (active-low)",
        "release GPIO GPIO17",
      ])
  }

  @Test("a boot-mode line that fails halfway releases the first one too")
  func bootModeFails() async throws {
    let devices = FakeDevices(failing: "rig-boot-mode", failAfter: 1)
    await #expect {
      _ = try await HardwareBench.open(
        Self.rig(), parts: Set(HardwareBench.Part.allCases), powerInitial: .off, devices: devices,
        logger: logger)
    } throws: { error in
      (error as? RigError)?.message.contains("cannot open boot-mode line 2 of 2 (GPIO GPIO6): ")
        == true
    }
    #expect(
      devices.log.filter { !$0.hasPrefix("open") } == [
        "release GPIO GPIO5", "release GPIO GPIO27 (active-low)", "release GPIO GPIO17",
      ])
  }

  @Test("only the parts asked for are opened, power at the level asked for")
  func onlyPower() async throws {
    let devices = FakeDevices()
    let opened = try await HardwareBench.open(
      Self.rig(), parts: [.power], powerInitial: .on, devices: devices, logger: logger)
    #expect(opened.openedParts == [.power])
    #expect(opened.console == nil)
    #expect(devices.log == ["open rig-power GPIO GPIO17 at 1"])
    #expect(throws: RigError.self) { _ = try opened.bench() }
    await opened.close()
  }

  @Test("a power command whose program is missing is found when the bench opens")
  func commandPowerMissing() async throws {
    let rig = Self.rig(
      power: .command(
        on: H.Command(argv: ["uhubctl-missing", "-a", "on"]),
        off: H.Command(argv: ["uhubctl-missing", "-a", "off"])))
    await #expect {
      _ = try await HardwareBench.open(
        rig, parts: [.power], powerInitial: .off, devices: FakeDevices(), logger: logger)
    } throws: { error in
      (error as? RigError)?.message.hasPrefix(
        "rig 'bench-01' (/work/Rigs/bench-01.yaml): cannot open the power switch (`uhubctl-missing -a on`): "
          + "power: program 'uhubctl-missing' not found on PATH") == true
    }
  }

  @Test("on this machine, with no GPIO chips, the real backends say the line is missing and why")
  func realBackendsNoHardware() async throws {
    await #expect {
      _ = try await HardwareBench.open(Self.rig(), logger: logger)
    } throws: { error in
      let rig = error as? RigError
      return rig?.code == .hardwareUnavailable
        && rig?.message.hasPrefix(
          "rig 'bench-01' (/work/Rigs/bench-01.yaml): cannot open the power switch (GPIO GPIO17): GPIO line 'GPIO17' not found"
        ) == true
    }
  }

  @Test("a rig without camera: gets a camera whose every call says the rig file needs one")
  func noCamera() async throws {
    let devices = FakeDevices()
    let opened = try await HardwareBench.open(
      Self.rig(camera: false), parts: Set(HardwareBench.Part.allCases), powerInitial: .off,
      devices: devices, logger: logger)
    #expect(opened.camera == nil)
    let bench = try opened.bench()
    #expect(bench.camera is UnconfiguredCameraEmulator)
    let expected =
      "rig 'bench-01' (/work/Rigs/bench-01.yaml) has no camera emulator: add "
      + "`camera: { emulator: { port: /dev/serial/by-id/… } }` (or a usb: match) to the rig file "
      + "to stream frames (docs/bench-setup.md)"
    await #expect {
      try await bench.camera.reset(deadline: TestTime.deadline(in: .seconds(1)))
    } throws: { error in
      (error as? RigError)?.code == .hardwareUnavailable && (error as? RigError)?.message == expected
    }
    await #expect {
      _ = try await bench.camera.nextEvent(until: TestTime.deadline(in: .seconds(1)))
    } throws: { error in
      (error as? RigError)?.message == expected
    }
    await bench.close()
  }

  @Test("the camera emulator's port opens after the console, as a link driver, and closes first")
  func cameraOpens() async throws {
    let devices = FakeDevices()
    let opened = try await HardwareBench.open(
      Self.rig(camera: true), parts: Set(HardwareBench.Part.allCases), powerInitial: .off,
      devices: devices, logger: logger)
    #expect(opened.openedParts.suffix(2) == [.console, .camera])
    let camera = try #require(opened.camera)
    #expect(camera.name == "/dev/ttyACM1")
    let bench = try opened.bench()
    #expect((bench.camera as? LinkCameraEmulator) === camera)
    await bench.close()
    #expect(devices.log.filter { $0.contains("ttyACM") } == [
      "open console /dev/ttyACM0", "open camera emulator /dev/ttyACM1",
      "close /dev/ttyACM1", "close /dev/ttyACM0",
    ])
  }

  @Test("a camera emulator port that cannot be opened releases the rest and names the port")
  func cameraFails() async throws {
    let devices = FakeDevices(failing: "console", failAfter: 1)
    await #expect {
      _ = try await HardwareBench.open(
        Self.rig(camera: true), parts: Set(HardwareBench.Part.allCases), powerInitial: .off,
        devices: devices, logger: logger)
    } throws: { error in
      let rig = error as? RigError
      return rig?.code == .hardwareUnavailable
        && rig?.message
          == "rig 'bench-01' (/work/Rigs/bench-01.yaml): cannot open the camera emulator "
          + "(/dev/ttyACM1): camera emulator /dev/ttyACM1 is busy (held by gpio-fan)"
    }
    #expect(devices.log.filter { !$0.hasPrefix("open") }.first == "close /dev/ttyACM0")
    #expect(devices.log.last == "release GPIO GPIO17")
  }

  @Test("closing the bench resets the emulator it used: frames queued there are dropped")
  func cameraResetOnClose() async throws {
    let emulator = try SimulatedEmulator(pseudoTerminal: true, readsFrames: false)
    let tty = try #require(emulator.devicePath)
    let console = try DevicePTY()
    defer { console.close() }
    let hardware = H(
      power: H.Power(
        control: .command(on: H.Command(argv: ["true"]), off: H.Command(argv: ["true"]))),
      console: H.SerialPort(address: .path(console.path)),
      camera: H.Camera(emulator: H.SerialPort(address: .path(tty), reconnect: .zero)))
    // Generous waits: a loaded test machine can hold up the tasks for seconds.
    let rig = RigConfiguration(
      name: "pty-bench", file: URL(fileURLWithPath: "/work/Rigs/pty-bench.yaml"), board: "x",
      timing: BenchTiming(commandTimeout: .seconds(30)), simulation: nil, hardware: hardware)
    let opened = try await HardwareBench.open(rig, logger: logger)
    let bench = try opened.bench()
    let deadline = TestTime.deadline(in: .seconds(30))
    try await bench.camera.configure(CameraSetup(format: .gray8, width: 8, height: 8), deadline: deadline)
    for index in 0..<3 {
      try await bench.camera.enqueue(
        EmulatorFrame(index: index, bytes: [UInt8](repeating: UInt8(index), count: 64)),
        deadline: deadline)
    }
    #expect(try await bench.camera.status(deadline: deadline).queued == 3)
    await bench.close()

    let link = try TermiosSerialLink(path: tty, baud: 115_200)
    let after = LinkCameraEmulator(link: link)
    #expect(try await after.status(deadline: TestTime.deadline(in: .seconds(30))).queued == 0)
    await link.close()
    await emulator.close()
  }
}

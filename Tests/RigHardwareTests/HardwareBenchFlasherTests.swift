// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging
import RigCore
import RigSystem
import RigSimulator
import RigTestSupport
import Testing

@testable import RigHardware

/// What the fake devices did, in order, and a way to wait for one entry.
private final class FlasherTrace: Sendable {
  private let entries = Locked<[String]>([])
  let added = AsyncStream<String>.makeStream()

  func add(_ entry: String) {
    entries.withLock { $0.append(entry) }
    added.continuation.yield(entry)
  }

  var log: [String] { entries.withLock { $0 } }
}

/// Devices for a hardware bench in process: outputs and the console recorded, or wired to the
/// simulated board (power and boot-mode pins, UART) when one is given.
private final class FlasherDevices: HardwareDevices {
  let trace = FlasherTrace()
  let board: SimulatedBench?
  /// The boot-mode levels the rig's lines hold, in line order, and each mode's pattern.
  private let levels = Locked<[String: Bool]>([:])

  init(board: SimulatedBench? = nil) {
    self.board = board
  }

  func output(_ line: HardwareSettings.OutputLine, initial: Bool, consumer: String) throws
    -> any DigitalOutput
  {
    trace.add("open \(consumer) \(line) at \(initial ? 1 : 0)")
    return Output(name: "\(line)", consumer: consumer, devices: self)
  }

  func edgeInput(_ pin: HardwareSettings.ResultPin, consumer: String) throws -> any EdgeInput {
    throw RigError(.internal, "no result pin in these tests")
  }

  func serial(_ settings: HardwareSettings.SerialPort, role: String, logger: Logger) throws
    -> any SerialLink
  {
    trace.add("open \(role) \(settings.address)")
    if let board { return board.bench().console }
    return Console(name: "\(settings.address)")
  }

  /// Applies a line change to the simulated board: power directly, boot mode once the two
  /// lines read as one of the EVK's patterns (BOOT_MODE[1:0]: 01 serial downloader, 10 internal).
  fileprivate func apply(_ name: String, consumer: String, _ active: Bool) async throws {
    trace.add("\(name)=\(active ? 1 : 0)")
    guard let board else { return }
    if consumer == "rig-power" { try await board.power.set(active ? .on : .off) }
    if consumer == "rig-boot-mode" {
      let pins = levels.withLock { levels -> [Bool?] in
        levels[name] = active
        return [levels["GPIO GPIO5"], levels["GPIO GPIO6"]]
      }
      if pins == [false, true] { try await board.bootMode.select(.serialDownloader) }
      if pins == [true, false] { try await board.bootMode.select(.internal) }
    }
  }

  struct Output: DigitalOutput {
    let name: String
    let consumer: String
    let devices: FlasherDevices
    func set(_ active: Bool) async throws {
      try await devices.apply(name, consumer: consumer, active)
    }
    func release() async { devices.trace.add("release \(name)") }
  }

  struct Console: SerialLink {
    let name: String
    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {}
    func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? { nil }
    func discardInput() {}
    func close() async {}
  }
}

@Suite("hardware bench: the flasher a rig file describes", .timeLimit(.minutes(TestTime.minutes(1))))
struct HardwareBenchFlasherTests {
  let folder: URL
  let logger = CapturedLog().logger

  init() throws {
    folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rig-hwflash-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  /// Loads a hardware rig with GPIO power and boot-mode lines and the `flasher` line given.
  private func rig(_ flasher: String, console: Int = 115_200) throws -> RigConfiguration {
    let file = folder.appendingPathComponent("bench.yaml")
    try """
    rig: bench-flash
    board: mimxrt1060-evk
    timing: { power_off: 5ms }
    power: { gpio: { line: GPIO17 } }
    boot_mode: { gpio: { lines: [GPIO5, GPIO6] }, serial_downloader: [0, 1], internal: [1, 0] }
    console: { port: /dev/ttyACM0, baud: \(console) }
    \(flasher)
    """.write(to: file, atomically: true, encoding: .utf8)
    return try RigLoader.load(file, files: LocalFileAccess())
  }

  /// A shell script that copies its first argument to its second.
  private func copyScript() throws -> String {
    let script = folder.appendingPathComponent("copy-flash.sh")
    try "#!/bin/sh\nexec cp \"$1\" \"$2\"\n".write(to: script, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    return script.path
  }

  private func image(size: Int = 9000) -> FirmwareImage {
    FirmwareImage(
      file: URL(fileURLWithPath: "fw.bin"), loadAddress: RT1062MemoryMap.flexSPIBase,
      bytes: FlexSPIBootImage.make(
        application: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }))
  }

  @Test("a command flasher runs its program on {bin}: the bytes arrive exactly, the pin pulses")
  func commandFlasher() async throws {
    let script = try copyScript()
    let written = folder.appendingPathComponent("written.bin").path
    let rig = try rig(
      "flasher: { command: [[\(script), \"{bin}\", \(written)]], timeout: 20s, "
        + "program_pin: { gpio: { line: GPIO23 } }, pulse: 2ms }")
    let devices = FlasherDevices()
    let opened = try await HardwareBench.open(
      rig, parts: Set(HardwareBench.Part.allCases), powerInitial: .off, devices: devices,
      logger: logger)
    #expect(opened.openedParts == [.power, .bootMode, .bootMode, .console, .flasher])
    let bench = try opened.bench()
    let flasher = try #require(bench.flasher as? ExternalFlasher)
    #expect(flasher.programPin?.name == "GPIO GPIO23")
    let image = image()
    let report = try await flasher.flash(image, deadline: .now + .seconds(30))
    #expect(report.bytes == image.bytes.count && report.method == script)
    let copied = try [UInt8](Data(contentsOf: URL(fileURLWithPath: written)))
    #expect(copied == image.bytes)
    await bench.close()
    let afterOpen = devices.trace.log.drop { !$0.hasPrefix("open console") }.dropFirst()
    #expect(
      Array(afterOpen) == [
        "open rig-program GPIO GPIO23 at 0",
        "GPIO GPIO17=0", "GPIO GPIO17=1",  // power off, then on for the tool
        "GPIO GPIO23=1", "GPIO GPIO23=0",  // the PROGRAM pulse
        "GPIO GPIO23=0", "GPIO GPIO5=1", "GPIO GPIO6=0",  // the safe state: pin, internal boot
        "GPIO GPIO17=0",
        "GPIO GPIO23=0", "release GPIO GPIO23",  // the pin let go inactive
        "release GPIO GPIO6", "release GPIO GPIO5", "release GPIO GPIO17",
      ])
  }

  @Test("a flash cancelled during the PROGRAM pulse leaves the pin inactive and the power off")
  func cancelledPulse() async throws {
    let rig = try rig(
      "flasher: { preset: teensy, program_pin: { gpio: { line: GPIO23 } }, pulse: 5s }")
    // teensy_loader_cli is not needed: the flash never gets past the pulse.
    guard case .external(let settings) = rig.hardware?.flasher?.method else {
      Issue.record("expected an external flasher")
      return
    }
    let devices = FlasherDevices()
    let pin = try devices.output(
      .gpio(HardwareSettings.GPIOLine(line: "GPIO23")), initial: false, consumer: "rig-program")
    let power = LinePowerSwitch(
      line: try devices.output(
        .gpio(HardwareSettings.GPIOLine(line: "GPIO17")), initial: false, consumer: "rig-power"))
    let flasher = ExternalFlasher(settings: settings, power: power, programPin: pin, runner: ChildProcessRunner())
    let image = image()
    let task = Task { try await flasher.flash(image, deadline: .now + .seconds(30)) }
    for await entry in devices.trace.added.stream where entry == "GPIO GPIO23=1" { break }
    task.cancel()
    await #expect(throws: FlashError.self) { _ = try await task.value }
    let log = devices.trace.log
    let pulse = try #require(log.firstIndex(of: "GPIO GPIO23=1"))
    #expect(Array(log[(pulse + 1)...]) == ["GPIO GPIO23=0", "GPIO GPIO17=0"])
  }

  @Test("a native flasher flashes the simulated board through the bench's pins and console")
  func nativeFlasher() async throws {
    let loader = folder.appendingPathComponent("ivt_flashloader.bin")
    try Data(ROMImages.flashloader).write(to: loader)
    let rig = try rig("flasher: { native: { flashloader: ivt_flashloader.bin } }")
    var settings = SimulationSettings(bootTime: .milliseconds(5))
    settings.flash = SimulatedFlashSettings(baud: 0)
    let board = SimulatedBench(
      settings: settings,
      rig: RigConfiguration(
        name: "dut", file: URL(fileURLWithPath: "/dev/null"), board: "virtual-rt1062",
        simulation: settings))
    let devices = FlasherDevices(board: board)
    let opened = try await HardwareBench.open(
      rig, parts: Set(HardwareBench.Part.allCases), powerInitial: .off, devices: devices,
      logger: logger)
    let bench = try opened.bench()
    let flasher = try #require(bench.flasher as? NativeFlasher)
    #expect(flasher.flashloaderImage == ROMImages.flashloader)
    #expect(flasher.settings.baud == 115_200)
    #expect(flasher.powerOffTime == .milliseconds(5))
    let image = image()
    let report = try await flasher.flash(image, deadline: .now + .seconds(20))
    #expect(report.imageHash == image.hash)
    #expect(board.flash.read(offset: 0, count: image.bytes.count) == image.bytes)
    #expect(!board.power.isOn && board.bootMode.selected == .internal)
    await bench.close()
    await board.shutdown()
  }

  @Test("without the boot-mode pins opened, a native rig's bench has no flasher")
  func nativeNeedsBootModePart() async throws {
    let loader = folder.appendingPathComponent("fl.bin")
    try Data(ROMImages.flashloader).write(to: loader)
    let rig = try rig("flasher: { native: { flashloader: fl.bin } }")
    let opened = try await HardwareBench.open(
      rig, parts: [.power, .console, .flasher], powerInitial: .off, devices: FlasherDevices(),
      logger: logger)
    #expect(try opened.bench().flasher == nil)
    await opened.close()
  }

  @Test("a flasher program that is missing fails the opening, naming it and what to do")
  func missingProgram() async throws {
    let rig = try rig(
      "flasher: { command: [[rig-no-such-flash-tool, \"{hex}\"]], "
        + "program_pin: { gpio: { line: GPIO23 } } }")
    let devices = FlasherDevices()
    await #expect {
      _ = try await HardwareBench.open(
        rig, parts: Set(HardwareBench.Part.allCases), powerInitial: .off, devices: devices,
        logger: logger)
    } throws: { error in
      let rigError = error as? RigError
      return rigError?.code == .hardwareUnavailable
        && rigError?.message
          == "rig 'bench-flash' (\(rig.file.displayPath)): cannot open the command flasher "
          + "(rig-no-such-flash-tool): flasher: program 'rig-no-such-flash-tool' not found on "
          + "PATH (install it, or write its full path in the rig file)"
    }
    // Everything opened before the flasher was let go; the PROGRAM pin was never requested.
    #expect(!devices.trace.log.contains { $0.contains("rig-program") })
    #expect(
      devices.trace.log.filter { $0.hasPrefix("release") } == [
        "release GPIO GPIO6", "release GPIO GPIO5", "release GPIO GPIO17",
      ])
  }

  @Test("the install hint names each preset's package")
  func installHints() {
    #expect(
      FlasherPrograms.installHint("teensy_loader_cli") == "sudo apt install teensy-loader-cli")
    #expect(FlasherPrograms.installHint("blhost").contains("pip install spsdk"))
    #expect(FlasherPrograms.installHint("pyocd").contains("pip install pyocd"))
    #expect(FlasherPrograms.installHint("JLinkExe").contains("segger.com"))
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigAgent
import RigCore
import RigEmulatorCore

/// The people-counting firmware of the virtual RT1062, from one boot to power off or reset.
///
/// It behaves as the real firmware does: the C agent for every console record and command, the
/// stock ArduCAM driver flow over the emulator's registers for every frame, counting from the
/// pixels it read, and latency and RAM from the models in `SimulationSettings`. Runs on the DUT
/// thread only.
final class CountingFirmware {
  enum Exit {
    case poweredOff
    case watchdogReset
  }

  private enum FrameOutcome {
    case done
    /// A command changed what the firmware does (stop, or a new start).
    case interrupted
    case poweredOff
    case hang
    case reset
  }

  private enum CaptureWait {
    case done
    case input
    case poweredOff
  }

  static let buildFlags = "cmsis_nn,O2,sim"
  /// CRC32 the virtual firmware reports for its model flatbuffer.
  static let modelCRC = CRC32.checksum("rig virtual people-counting model v1")
  /// Largest JPEG the firmware buffers (the TFLM sketch allows 4096; this is roomier).
  static let jpegLimit = 64 * 1024
  /// The driver reads the FIFO in chunks this size, one CS window each.
  static let chunkBytes = 256
  /// MAX_FIFO_SIZE of the Mini 2MP: the driver rejects this length and above.
  static let maxFifo = Int(ARDUCHIP_MAX_FIFO_MINI_2MP)

  private static let statusOK: StaticString = "ok"
  private static let statusLengthInvalid: StaticString = "len_invalid"
  private static let statusDecodeFail: StaticString = "decode_fail"

  let board: VirtualBoard
  let epoch: UInt64
  let settings: SimulationSettings
  private let resetCause: String
  private let console: FirmwareConsole
  var counter: PeopleCounter
  var test = TestRun(name: "", faults: [])
  private var testing = false
  private var received: [UInt8] = []
  private var command = rig_command_t()
  /// The FIFO bytes of the current frame, and its grey pixels when it is not gray8 already.
  var fifo: [UInt8] = []
  var gray: [UInt8] = []
  var people: [PeopleCounter.Blob] = []
  /// Bench noise and the build's regression.
  private let variation: BenchVariation
  /// Frames processed since this boot (a leak grows with them).
  private var framesSinceBoot = 0

  init(board: VirtualBoard, epoch: UInt64, resetCause: String) {
    self.board = board
    self.epoch = epoch
    settings = board.settings
    self.resetCause = resetCause
    console = FirmwareConsole(board: board, epoch: epoch)
    counter = PeopleCounter(
      threshold: settings.counting.threshold, minBlobPixels: settings.counting.minBlobPixels)
    variation = BenchVariation(settings: settings, board: board.name)
  }

  // MARK: - Main loop

  func run() -> Exit {
    board.openUART(epoch)
    withIdentity { rig_agent_boot(console.agent, $0) }
    guard initialiseCamera() else { return .poweredOff }
    while true {
      guard pumpCommands() != nil else { return .poweredOff }
      if testing {
        switch processFrame() {
        case .done, .interrupted:
          continue
        case .poweredOff:
          return .poweredOff
        case .hang:
          board.waitForPowerOff(epoch: epoch)
          return .poweredOff
        case .reset:
          return .watchdogReset
        }
      } else if !board.waitForInput(epoch: epoch) {
        return .poweredOff
      }
    }
  }

  /// The sketch's camera bring-up: CPLD reset, SPI test register, OV2640 chip id over I2C.
  /// False if the supply went off.
  private func initialiseCamera() -> Bool {
    let ok: Void? = board.ifPowered(epoch) {
      board.emulator.writeRegister(UInt8(ARDUCHIP_REG_RESET), 0x80)
      board.emulator.writeRegister(UInt8(ARDUCHIP_REG_RESET), 0x00)
    }
    guard ok != nil else { return false }
    return checkCamera()
  }

  /// The SPI test register and the sensor's chip id, checked at boot and again at each `start`
  /// (a camera that went away between tests is reported before any frame is trusted). A failure
  /// is an `error` record. False if the supply went off.
  private func checkCamera() -> Bool {
    let checks = board.ifPowered(epoch) { () -> (spi: Bool, sensor: Bool) in
      (board.emulator.spiInterfaceWorks(), board.emulator.sensorIdentified())
    }
    guard let checks else { return false }
    if !checks.spi {
      rig_agent_error(console.agent, "camera_spi", "ArduChip test register 0x00 read back wrong")
    }
    if !checks.sensor {
      rig_agent_error(console.agent, "camera_sensor", "OV2640 chip id 0x26/0x42 not found on I2C")
    }
    return true
  }

  // MARK: - Commands

  /// Feeds received bytes to the agent and acts on each complete command. Nil when the supply
  /// went off; otherwise whether a command changed what the frame loop should do.
  private func pumpCommands() -> Bool? {
    guard board.takeReceived(into: &received, epoch: epoch) else { return nil }
    var changed = false
    for byte in received where rig_agent_feed(console.agent, byte, &command) == 1 {
      if handle(command) { changed = true }
    }
    return changed
  }

  /// Acts on one command; true if the frame loop must start over.
  private func handle(_ command: rig_command_t) -> Bool {
    switch command.kind {
    case RIG_COMMAND_HELLO:
      withIdentity { rig_agent_hello(console.agent, $0) }
      return false
    case RIG_COMMAND_START:
      flushCamera()
      _ = checkCamera()
      test = TestRun(name: Self.testName(command), faults: settings.faults)
      testing = true
      rig_agent_ack(console.agent, "start")
      return true
    case RIG_COMMAND_STOP:
      flushCamera()
      testing = false
      emitSummary()
      rig_agent_ack(console.agent, "stop")
      return true
    case RIG_COMMAND_STATS:
      emitSummary()
      return false
    default:
      return false
    }
  }

  private static func testName(_ command: rig_command_t) -> String {
    withUnsafeBytes(of: command.test) { raw in
      let bytes = raw.prefix { $0 != 0 }
      return String(decoding: bytes, as: UTF8.self)
    }
  }

  /// `flush_fifo()`: also cancels a capture still waiting for a frame, so a stopped firmware
  /// does not swallow the next frame the host queues.
  private func flushCamera() {
    _ = board.ifPowered(epoch) {
      board.emulator.writeRegister(UInt8(ARDUCHIP_REG_FIFO), UInt8(ARDUCHIP_FIFO_CLEAR))
    }
  }

  private func emitSummary() {
    var summary = rig_summary_t(
      frames: UInt32(clamping: test.frames), errors: UInt32(clamping: test.errors),
      max_cycles: test.maxCycles, stack_hwm: UInt32(clamping: test.stackHighWater))
    rig_agent_summary(console.agent, &summary)
  }

  private func withIdentity(_ body: (UnsafePointer<rig_identity_t>) -> Void) {
    let memory = settings.memory
    let imageHash = board.locked { board.imageHash }
    FirmwareBuild.version(settings.regression).withCString { version in
      imageHash.withCString { hash in
        Self.buildFlags.withCString { flags in
          resetCause.withCString { cause in
            var identity = rig_identity_t(
              firmware_version: version, image_hash: hash, model_crc32: Self.modelCRC,
              arena_size: UInt32(clamping: memory.arenaSizeBytes),
              arena_used: UInt32(clamping: memory.arenaUsedBytes),
              static_ram: UInt32(clamping: memory.staticBytes),
              cpu_hz: UInt32(clamping: settings.latency.cpuHz), build_flags: flags,
              reset_cause: cause)
            body(&identity)
          }
        }
      }
    }
  }

  // MARK: - One frame

  private func processFrame() -> FrameOutcome {
    let index = Int(test.sequence)
    people.removeAll(keepingCapacity: true)
    var firing = FaultPlan.Firing()
    if test.plan.hasFaults(at: index) {
      firing = board.locked { test.plan.firing(at: index, fired: &board.firedFaults) }
    }

    if let interrupted = capture() { return interrupted }
    let captured = board.micros()

    // The TFLM sketch clears the flag before it reads the length and the data. The format is
    // what the firmware configured the sensor for: the host's camera setup.
    let reported = board.ifPowered(epoch) { () -> (length: Int, setup: CameraSetup) in
      board.emulator.writeRegister(UInt8(ARDUCHIP_REG_FIFO), UInt8(ARDUCHIP_FIFO_CLEAR))
      return (board.emulator.fifoLength(), board.setup)
    }
    guard let (length, setup) = reported else { return .poweredOff }

    let expected = setup.format.frameBytes(width: setup.width, height: setup.height)
    let lengthValid =
      length > 0 && length < Self.maxFifo
      && (expected.map { length == $0 } ?? (length <= Self.jpegLimit))
    var report = TestRun.Report(
      crc: 0, length: 0, count: 0, inCount: UInt32(clamping: test.tracker?.inCount ?? 0),
      outCount: UInt32(clamping: test.tracker?.outCount ?? 0))
    var status = Self.statusLengthInvalid
    var stages = 1
    var detected = PeopleCounter.Result(blobs: [], activePixels: 0, components: 0)

    if lengthValid {
      guard readFIFO(length) else { return .poweredOff }
      if firing.corruptFrame {
        // A bit error on the SPI bus: the emulator clocked out the right byte, the DUT latched
        // another, so the emulator's read CRC and the DUT's differ.
        fifo[length / 2] = ~fifo[length / 2]
      }
      report.crc = fifo.withUnsafeBytes { bytes in
        var crc = CRC32.Running()
        crc.update(UnsafeRawBufferPointer(rebasing: bytes[..<length]))
        return crc.value
      }
      report.length = UInt32(length)
      stages = 2
      status = Self.statusDecodeFail
      if let pixels = decode(setup) {
        stages = 4
        status = Self.statusOK
        detected = count(pixels, setup)
      }
    }

    // Faults that change what the firmware reports from here on.
    test.slowdown *= firing.slowdown
    test.miscount += firing.miscount
    if stages == 4 {
      let phantom = chance(settings.counting.phantomRate, RandomPurpose.phantom) ? 1 : 0
      let counted = max(0, people.count + phantom + test.miscount)
      report.count = UInt32(clamping: variation.count(counted, test: test.nameHash, frame: index))
      report.inCount = UInt32(clamping: test.tracker?.inCount ?? 0)
      report.outCount = UInt32(clamping: test.tracker?.outCount ?? 0)
    }
    if firing.repeatFrame, let previous = test.previous {
      report = previous
    }

    if firing.unplug { board.locked { board.unplugged = true } }
    if firing.hang || firing.unplug { return .hang }
    if firing.reset { return .reset }

    return emit(
      report, status: status, stages: stages, detected: detected, firing: firing, capturedAt: captured)
  }

  /// Works out the frame's latency and RAM, takes the modelled time when paced, prints the frame
  /// record (unless a regressed build drops it) and moves the test on to the next frame.
  private func emit(
    _ report: TestRun.Report, status: StaticString, stages: Int, detected: PeopleCounter.Result,
    firing: FaultPlan.Firing, capturedAt captured: UInt64
  ) -> FrameOutcome {
    let index = Int(test.sequence)
    var jitter = SeededRandom(
      seed: settings.seed, test: test.nameHash, frame: UInt64(test.sequence),
      purpose: RandomPurpose.jitter)
    let noise = stages == 4 ? variation.offsetMs + variation.spikeMs(test: test.nameHash, frame: UInt64(index)) : 0
    let cycles = settings.latency.cycles(
      bytesRead: Int(report.length), people: people.count, activePixels: detected.activePixels,
      stages: stages, jitter: stages == 4 ? jitter.gaussian() : 0, extraMs: noise,
      slowdown: test.slowdown * variation.latencyScale)
    let memory = settings.memory
    let stack = memory.stackBaseBytes + memory.stackPerBlobBytes * detected.components
    framesSinceBoot += 1
    let heap = variation.heapBytes(memory.heapBytes, framesSinceBoot: framesSinceBoot)

    if settings.pace > 0 {
      let seconds = Double(cycles.total) / Double(max(1, settings.latency.cpuHz)) * settings.pace
      guard board.sleep(untilMicros: captured + UInt64(seconds * 1e6), epoch: epoch) else {
        return .poweredOff
      }
    }

    if firing.garbage { console.transmitRaw(garbage()) }
    var record = rig_frame_t(
      sequence: test.sequence, frame_crc32: report.crc, length: report.length, count: report.count,
      in_count: report.inCount, out_count: report.outCount, cycles_capture: cycles.capture,
      cycles_preprocess: cycles.preprocess, cycles_invoke: cycles.invoke,
      cycles_postprocess: cycles.postprocess, stack_hwm: UInt32(clamping: stack),
      heap_hwm: UInt32(clamping: heap), status: Self.cString(status))
    let dropped = variation.drops(test: test.nameHash, frame: UInt64(index))
    if firing.staleRecord && !dropped {
      // The same record under another run's nonce: what an earlier run left on the line.
      let nonce = console.agent.pointee.nonce
      console.agent.pointee.nonce = nonce ^ 0x5EED_0B57
      rig_agent_frame(console.agent, &record)
      console.agent.pointee.nonce = nonce
    }
    console.corruptNextLine = firing.corruptRecord
    if !dropped { rig_agent_frame(console.agent, &record) }
    console.corruptNextLine = false

    test.frames += 1
    if stages != 4 { test.errors += 1 }
    test.maxCycles = max(test.maxCycles, UInt32(clamping: cycles.total))
    test.stackHighWater = max(test.stackHighWater, stack)
    test.previous = report
    test.sequence &+= 1
    return .done
  }

  /// `clear_fifo_flag(); start_capture()`, then waits for CAP_DONE. Nil once the frame is
  /// latched; otherwise why the frame ended first (power off, or a command that changed course).
  private func capture() -> FrameOutcome? {
    let started: Void? = board.ifPowered(epoch) {
      let emulator = board.emulator
      emulator.writeRegister(UInt8(ARDUCHIP_REG_FIFO), UInt8(ARDUCHIP_FIFO_CLEAR))
      emulator.writeRegister(UInt8(ARDUCHIP_REG_FIFO), UInt8(ARDUCHIP_FIFO_START))
    }
    guard started != nil else { return .poweredOff }
    while true {
      switch waitForCapture() {
      case .done:
        return nil
      case .poweredOff:
        return .poweredOff
      case .input:
        guard let changed = pumpCommands() else { return .poweredOff }
        if changed { return .interrupted }
      }
    }
  }

  /// Polls 0x41 for CAP_DONE as the driver does, sleeping between polls until the emulator's
  /// state can have changed: a frame queued, its capture delay over, a command byte, power off.
  private func waitForCapture() -> CaptureWait {
    board.signal.lock()
    defer { board.signal.unlock() }
    let emulator = board.emulator
    while board.epoch == epoch {
      if emulator.captureDone() { return .done }
      if !board.received.isEmpty { return .input }
      let wake = emulator.chipNextWakeMicros
      if wake == .max {
        board.signal.wait()
      } else {
        let now = board.micros()
        if wake > now {
          _ = board.signal.wait(until: Date(timeIntervalSinceNow: Double(wake - now) / 1e6))
        }
      }
    }
    return .poweredOff
  }

  private static func cString(_ text: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
  }
}

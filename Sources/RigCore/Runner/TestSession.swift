// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What one attempt at a test produced.
struct AttemptResult {
  var startedAt: Date
  var duration: Double
  /// Set when rig could not reach a verdict.
  var error: RigError?
  var metrics: [MetricValue] = []
  var accounting = FrameAccounting()
  /// Warnings worth putting in the report even when the test passes.
  var warnings: [String] = []
}

/// Plays one clip into the booted DUT and collects its results: one attempt of one test.
///
/// The emulator is kept a few frames ahead of the DUT (lockstep: each frame answers one capture);
/// each telemetry record is matched to its frame by CRC; a watchdog catches a DUT that stops
/// answering, and the test's own timeout bounds the whole attempt.
final class TestSession {
  struct Context {
    var bench: Bench
    var console: ConsoleMonitor
    var strategy: BoardStrategy
    var artifacts: ArtifactFolder
    var record: (RunEvent) -> Void
    var observeFrame: SuiteRunner.FrameObserver?
  }

  private let test: TestCase
  private let context: Context
  private var timing: BenchTiming { context.bench.rig.timing }

  init(test: TestCase, context: Context) {
    self.test = test
    self.context = context
  }

  func run() async -> AttemptResult {
    let startedAt = Date()
    let clock = ContinuousClock()
    let start = clock.now
    var result = AttemptResult(startedAt: startedAt, duration: 0)
    var progress = Progress(test: test)
    do {
      try await play(&progress, &result)
    } catch let error as RigError {
      result.error = error
    } catch is CancellationError {
      result.error = RigError(.interrupted, "interrupted")
    } catch {
      result.error = RigError(.internal, "unexpected error", cause: error)
    }
    progress.closeArtifacts()
    if let writeError = progress.csv?.writeError {
      result.warnings.append("frames.csv is incomplete: \(writeError)")
    }
    progress.accounting.served = progress.join.servedCount
    result.accounting = progress.accounting
    result.warnings += Self.namedFindings(progress.named)
    result.metrics = progress.evaluator?.metrics(accounting: progress.accounting) ?? []
    result.duration = (clock.now - start).seconds
    return result
  }

  /// Mutable state of the attempt, kept outside `play` so that a thrown error still leaves what
  /// was measured up to that point.
  private struct Progress {
    let test: TestCase
    /// Sent, served and read: the three views of every frame.
    var join = FrameJoin()
    var accounting = FrameAccounting()
    /// Frames with a finding, by finding name, for the test's result.
    var named: [String: [Int]] = [:]
    var evaluator: Evaluator?
    var csv: FramesCSVWriter?
    var queuedAt: [Int: ContinuousClock.Instant] = [:]
    /// Frames whose capture the emulator has latched (they left its queue).
    var consumed = 0

    init(test: TestCase) { self.test = test }

    mutating func closeArtifacts() {
      csv?.close()
      csv = nil
    }
  }

  private func play(_ p: inout Progress, _ result: inout AttemptResult) async throws {
    let bench = context.bench
    let console = context.console
    let frames = try EmulatorFrameSource(clip: test.clip, format: bench.rig.cameraFormat)
    let n = frames.count
    let testDeadline = ContinuousClock.now + test.timeout

    let (identity, nonce) = try await context.strategy.ensureBooted()
    p.evaluator = Evaluator(device: Evaluator.DeviceFacts(identity))
    p.csv = try FramesCSVWriter(log: context.artifacts.create("frames.csv"), cpuHz: identity.cpuHz)

    let manifest = test.clip.manifest
    try await bench.camera.reset(deadline: .now + timing.commandTimeout)
    try await bench.camera.configure(
      CameraSetup(format: frames.format, width: manifest.width, height: manifest.height, mode: .lockstep),
      deadline: .now + timing.commandTimeout)
    for fault in test.emulatorFaults {
      // Bus faults hit the camera check the firmware makes at `start`; frame faults wait for
      // their frame.
      try await bench.camera.inject(
        fault.kind, mode: fault.mode, parameter: fault.parameter,
        frame: fault.kind.isFrameFault ? fault.frame : nil, deadline: .now + timing.commandTimeout)
    }

    try await command(.start(nonce: nonce, test: test.name), expecting: "start", nonce: nonce)

    // Keep the emulator a few frames ahead: enough that the DUT never waits on the host, few
    // enough that a fault is noticed close to the frame that caused it. Captures move the window
    // (the DUT keeps going while its records are still on their way), but never further than
    // `recordLag` frames past the last record taken in: a host that falls behind the console
    // must slow the DUT down, not queue its records without bound.
    let window = max(1, min(bench.camera.queueCapacity, 8))
    let recordLag = 8 * window
    var nextToSend = 0
    func refill(_ p: inout Progress) async throws {
      while nextToSend < n && nextToSend - p.consumed < window
        && nextToSend - p.join.matcher.nextExpected < recordLag
      {
        let frame = try frames.frame(nextToSend)
        try await bench.camera.enqueue(frame, deadline: .now + timing.commandTimeout)
        p.join.sent(crc: frame.crc32, length: frame.bytes.count)
        p.accounting.sent += 1
        p.queuedAt[nextToSend] = .now
        nextToSend += 1
      }
    }
    try await refill(&p)

    var lastProgress = ContinuousClock.now
    while p.join.matcher.nextExpected < n {
      try Task.checkCancellation()
      let deadline = min(testDeadline, lastProgress + timing.hangTimeout)
      let item = try await console.next(until: deadline)
      try await drainEmulatorEvents(&p)

      guard let item else {
        if ContinuousClock.now >= testDeadline {
          throw RigError(
            .timedOut,
            "test timed out after \(test.timeout) with \(p.join.matcher.nextExpected) of \(n) frames reported"
              + lastLines(console.recentLines))
        }
        // Silence for a whole hang timeout. If every frame was consumed the DUT may just have
        // lost the last records; otherwise ask it whether it is alive at all.
        if p.consumed >= n, try await isAlive(nonce: nonce) { break }
        try await emulatorBarrier(&p)
        if let stuck = p.join.stuckCapture {
          // The DUT's driver polls CAP_DONE without a timeout, as the stock one does.
          let frameText = stuck.frame.map { " (frame \($0))" } ?? ""
          name(.captureStuck, stuck.frame, &p)
          p.accounting.captureStuck += 1
          context.record(.frameFinding(FrameFinding(
            test: test.name, frame: stuck.frame, kind: .captureStuck,
            detail: "the emulator started capture \(stuck.sequence)\(frameText) and never raised CAP_DONE")))
          if let frame = stuck.frame {
            p.csv?.write(FrameOutcome(
              index: frame, label: test.clip.labels[frame], report: nil,
              sentCRC: p.join.matcher.crc(of: frame), finding: .captureStuck, cpuHz: 0))
          }
          throw RigError(
            .hardwareFault,
            "the camera emulator never raised CAP_DONE for capture \(stuck.sequence)\(frameText): the DUT's "
              + "driver polls 0x41 for ever and sent nothing for \(timing.hangTimeout)"
              + armedNote(stuck.frame) + lastLines(console.recentLines))
        }
        throw RigError(
          .hang,
          "the DUT stopped answering: no telemetry for \(timing.hangTimeout) after frame "
            + "\(max(p.join.matcher.nextExpected - 1, 0)) of \(n)" + lastLines(console.recentLines))
      }

      switch item {
      case .record(let message, let arrival):
        if message.nonce != nonce {
          if message.nonce == 0, case .boot(let bootIdentity) = message.record {
            context.strategy.invalidate()
            context.record(.frameFinding(FrameFinding(
              test: test.name, frame: p.join.matcher.nextExpected, kind: .reset,
              detail: "the board rebooted (reset cause \(bootIdentity.resetCause))")))
            throw RigError(
              .hardwareFault,
              "the DUT reset itself during the test (reset cause \(bootIdentity.resetCause)) near frame "
                + "\(p.join.matcher.nextExpected) of \(n)")
          }
          p.accounting.staleNonce += 1
          context.record(.frameFinding(FrameFinding(
            test: test.name, frame: nil, kind: .staleNonce,
            detail: "record with nonce \(hex8(message.nonce)) ignored; this boot's nonce is \(hex8(nonce))")))
          continue
        }
        lastProgress = ContinuousClock.now
        switch message.record {
        case .frame(let report):
          if p.join.needsServedView(report) {
            // The record matches no frame: the emulator's events about it may still be on their
            // way over the other link. A status round trip brings every earlier one in.
            try await emulatorBarrier(&p)
          }
          for outcome in p.join.resolve(report) { apply(outcome, arrival: arrival, &p) }
          p.consumed = max(p.consumed, p.join.matcher.nextExpected)
          try await refill(&p)
        case .fault(let kind, let detail):
          context.strategy.invalidate()
          throw RigError(.hardwareFault, "the DUT reported a fault: \(kind) \(detail)")
        case .error(let code, let detail) where code.hasPrefix("camera_"):
          // The firmware's camera check failed: no frame it reads can be trusted.
          throw cameraCheckFailed(code, detail, after: lastLines(console.recentLines))
        case .error(let code, let detail):
          context.record(.note(Note(level: .warning, message: "DUT error \(code): \(detail)", test: test.name)))
        case .boot, .hello, .summary, .ack:
          break
        }
      case .damaged(let line, let reason, _):
        p.accounting.badChecksum += 1
        context.record(.frameFinding(FrameFinding(
          test: test.name, frame: nil, kind: .badChecksum,
          detail: "damaged telemetry record (\(reason)): \(line.prefix(120))")))
      case .log:
        p.accounting.logLines += 1
      }
    }

    try await emulatorBarrier(&p)
    for outcome in p.join.finish() { apply(outcome, arrival: .now, &p) }
    try await stop(nonce: nonce, &result)
  }

  /// Counts, reports and writes one outcome of the join.
  private func apply(_ r: FrameJoin.Result, arrival: ContinuousClock.Instant, _ p: inout Progress) {
    switch r.kind {
    case .matched:
      guard let index = r.index, let report = r.report else { return }
      p.accounting.matched += 1
      let label = test.clip.labels[index]
      if report.status == "ok" {
        p.evaluator?.add(label: label, report: report)
      } else {
        p.accounting.deviceErrors += 1
        context.record(.frameFinding(FrameFinding(
          test: test.name, frame: index, kind: .fault, detail: "DUT reported status \(report.status)")))
      }
      let outcome = FrameOutcome(
        index: index, label: label, report: report, sentCRC: p.join.matcher.crc(of: index), finding: .matched,
        cpuHz: p.evaluator?.device.cpuHz ?? 0, hostSeconds: p.queuedAt.removeValue(forKey: index).map { (arrival - $0).seconds })
      p.csv?.write(outcome)
      context.observeFrame?(test.name, outcome)
    case .duplicated:
      p.accounting.duplicated += 1
      name(.duplicated, r.index, &p)
      context.record(.frameFinding(FrameFinding(test: test.name, frame: r.index, kind: .duplicated, detail: r.detail)))
    case .unknown:
      p.accounting.unknown += 1
      context.record(.frameFinding(FrameFinding(
        test: test.name, frame: p.join.matcher.nextExpected, kind: .unknown, detail: r.detail)))
    case .missing, .dropped, .damaged, .truncated, .badLength:
      guard let index = r.index else { return }
      let kinds: (FrameFinding.Kind, FrameOutcome.Finding)
      switch r.kind {
      case .dropped:
        // Served but never reported: missing, and dropped on the DUT's side.
        p.accounting.missing += 1
        p.accounting.dropped += 1
        kinds = (.dropped, .dropped)
      case .damaged:
        p.accounting.damaged += 1
        kinds = (.damaged, .damaged)
      case .truncated:
        p.accounting.truncated += 1
        kinds = (.truncated, .truncated)
      case .badLength:
        p.accounting.badLength += 1
        kinds = (.badLength, .badLength)
      default:
        p.accounting.missing += 1
        kinds = (.missing, .missing)
      }
      name(kinds.0, index, &p)
      p.queuedAt.removeValue(forKey: index)
      context.record(.frameFinding(FrameFinding(test: test.name, frame: index, kind: kinds.0, detail: r.detail)))
      let outcome = FrameOutcome(
        index: index, label: test.clip.labels[index], report: r.report,
        sentCRC: p.join.matcher.crc(of: index), finding: kinds.1, cpuHz: p.evaluator?.device.cpuHz ?? 0)
      p.csv?.write(outcome)
      context.observeFrame?(test.name, outcome)
    }
  }

  /// Remembers a frame with a finding for the summary in the test's result.
  private func name(_ kind: FrameFinding.Kind, _ index: Int?, _ p: inout Progress) {
    guard let index else { return }
    p.named[kind.rawValue, default: []].append(index)
  }

  /// Records the DUT's failed camera check as a finding and returns the test's error.
  private func cameraCheckFailed(_ code: String, _ detail: String, after consoleTail: String = "") -> RigError {
    context.record(.frameFinding(FrameFinding(
      test: test.name, frame: nil, kind: .cameraFailed, detail: "\(code): \(detail)")))
    return RigError(
      .hardwareFault, "the DUT's camera check failed: \(code) \(detail)" + armedNote(nil) + consoleTail)
  }

  /// What the test armed on the emulator, for messages about what it caused.
  private func armedNote(_ frame: Int?) -> String {
    let armed = test.emulatorFaults.filter { $0.frame == nil || $0.frame == frame || !$0.kind.isFrameFault }
    guard !armed.isEmpty else { return "" }
    return " (the test injected " + armed.map { f in
      f.kind.rawValue + (f.kind.isFrameFault ? f.frame.map { " at frame \($0)" } ?? "" : "")
    }.joined(separator: ", ") + ")"
  }

  /// Every event the emulator produced so far has been taken in when this returns: its answer to
  /// a status request comes after them on the link.
  private func emulatorBarrier(_ p: inout Progress) async throws {
    _ = try await context.bench.camera.status(deadline: .now + timing.commandTimeout)
    try await drainEmulatorEvents(&p)
  }

  /// Takes in the emulator's events: the served view of the join, and which frames it has
  /// latched, so the queue can be refilled behind them.
  private func drainEmulatorEvents(_ p: inout Progress) async throws {
    while let event = try await context.bench.camera.nextEvent(until: .now) {
      p.join.observe(event)
      if case .captureDone(_, let frameIndex, _, _) = event {
        p.consumed = max(p.consumed, frameIndex + 1)
      }
      if case .eventsLost = event {
        context.record(.frameFinding(FrameFinding(
          test: test.name, frame: nil, kind: .eventsLost,
          detail: "the camera emulator dropped events; its view of some frames is incomplete")))
      }
    }
  }

  /// Sends a command and waits for its acknowledgement, reading past anything else.
  private func command(_ command: TelemetryCommand, expecting name: String, nonce: UInt32) async throws {
    try await context.console.send(command, within: timing.commandTimeout)
    let deadline = ContinuousClock.now + timing.commandTimeout
    var cameraError: (code: String, detail: String)?
    while let item = try await context.console.next(until: deadline) {
      guard case .record(let message, _) = item, message.nonce == nonce else { continue }
      if case .error(let code, let detail) = message.record, code.hasPrefix("camera_") {
        // The firmware checks its camera as it starts a test.
        cameraError = (code, detail)
      }
      if case .ack(let acked) = message.record, acked == name {
        guard let cameraError else { return }
        throw cameraCheckFailed(cameraError.code, cameraError.detail)
      }
    }
    throw RigError(
      .protocolViolation,
      "the DUT did not acknowledge '\(name)' within \(timing.commandTimeout)"
        + lastLines(context.console.recentLines))
  }

  /// Asks for statistics; true when the DUT answers with this boot's nonce.
  private func isAlive(nonce: UInt32) async throws -> Bool {
    try await context.console.send(.stats(nonce: nonce), within: timing.commandTimeout)
    let deadline = ContinuousClock.now + timing.commandTimeout
    while let item = try await context.console.next(until: deadline) {
      if case .record(let message, _) = item, message.nonce == nonce, case .summary = message.record {
        return true
      }
    }
    return false
  }

  /// Ends frame processing; the summary is informational, so its absence is only a warning.
  private func stop(nonce: UInt32, _ result: inout AttemptResult) async throws {
    try await context.console.send(.stop(nonce: nonce), within: timing.commandTimeout)
    let deadline = ContinuousClock.now + timing.commandTimeout
    while let item = try await context.console.next(until: deadline) {
      if case .record(let message, _) = item, message.nonce == nonce, case .summary = message.record {
        return
      }
    }
    result.warnings.append("the DUT did not answer 'stop' with a summary within \(timing.commandTimeout)")
    context.strategy.invalidate()
  }
}

extension TestSession {
  /// `frames bad_length: 12, 13; damaged: 40`: which frames had which finding, by name.
  static func namedFindings(_ named: [String: [Int]]) -> [String] {
    guard !named.isEmpty else { return [] }
    let parts = named.sorted { $0.key < $1.key }.map { kind, frames -> String in
      let shown = frames.prefix(12).map(String.init).joined(separator: ", ")
      return "\(kind) \(shown)" + (frames.count > 12 ? " and \(frames.count - 12) more" : "")
    }
    return ["frames " + parts.joined(separator: "; ")]
  }
}

extension Duration {
  /// This duration in seconds, as a Double.
  public var seconds: Double {
    let (s, attoseconds) = components
    return Double(s) + Double(attoseconds) / 1e18
  }
}

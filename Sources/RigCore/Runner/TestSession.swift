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
    var artifactDirectory: URL
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
    result.accounting = progress.accounting
    result.metrics = progress.evaluator?.metrics(accounting: progress.accounting) ?? []
    result.duration = (clock.now - start).seconds
    return result
  }

  /// Mutable state of the attempt, kept outside `play` so that a thrown error still leaves what
  /// was measured up to that point.
  private struct Progress {
    let test: TestCase
    var matcher = FrameMatcher()
    var accounting = FrameAccounting()
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
    let frames = ClipFrameSource(clip: test.clip)
    let n = frames.count
    let testDeadline = ContinuousClock.now + test.timeout

    let (identity, nonce) = try await context.strategy.ensureBooted()
    p.evaluator = Evaluator(device: Evaluator.DeviceFacts(identity))
    p.csv = try FramesCSVWriter(
      url: context.artifactDirectory.appendingPathComponent("frames.csv"), cpuHz: identity.cpuHz)

    let manifest = test.clip.manifest
    try await bench.camera.reset(deadline: .now + timing.commandTimeout)
    try await bench.camera.configure(
      CameraSetup(format: manifest.format, width: manifest.width, height: manifest.height, mode: .lockstep),
      deadline: .now + timing.commandTimeout)

    try await command(.start(nonce: nonce, test: test.name), expecting: "start", nonce: nonce)

    // Keep the emulator a few frames ahead: enough that the DUT never waits on the host, few
    // enough that a fault is noticed close to the frame that caused it.
    let window = max(1, min(bench.camera.queueCapacity, 8))
    var nextToSend = 0
    func refill(_ p: inout Progress) async throws {
      while nextToSend < n && nextToSend - p.consumed < window {
        let frame = try frames.frame(nextToSend)
        try await bench.camera.enqueue(frame, deadline: .now + timing.commandTimeout)
        p.matcher.sent(crc: frame.crc32)
        p.accounting.sent += 1
        p.queuedAt[nextToSend] = .now
        nextToSend += 1
      }
    }
    try await refill(&p)

    var lastProgress = ContinuousClock.now
    while p.matcher.nextExpected < n {
      try Task.checkCancellation()
      let deadline = min(testDeadline, lastProgress + timing.hangTimeout)
      let item = try await console.next(until: deadline)
      try await drainEmulatorEvents(&p)

      guard let item else {
        if ContinuousClock.now >= testDeadline {
          throw RigError(
            .timedOut,
            "test timed out after \(test.timeout) with \(p.matcher.nextExpected) of \(n) frames reported"
              + lastLines(console.recentLines))
        }
        // Silence for a whole hang timeout. If every frame was consumed the DUT may just have
        // lost the last records; otherwise ask it whether it is alive at all.
        if p.consumed >= n, try await isAlive(nonce: nonce) { break }
        throw RigError(
          .hang,
          "the DUT stopped answering: no telemetry for \(timing.hangTimeout) after frame "
            + "\(max(p.matcher.nextExpected - 1, 0)) of \(n)" + lastLines(console.recentLines))
      }

      switch item {
      case .record(let message, let arrival):
        if message.nonce != nonce {
          if message.nonce == 0, case .boot(let bootIdentity) = message.record {
            context.strategy.invalidate()
            context.record(.frameFinding(FrameFinding(
              test: test.name, frame: p.matcher.nextExpected, kind: .reset,
              detail: "the board rebooted (reset cause \(bootIdentity.resetCause))")))
            throw RigError(
              .hardwareFault,
              "the DUT reset itself during the test (reset cause \(bootIdentity.resetCause)) near frame "
                + "\(p.matcher.nextExpected) of \(n)")
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
          try handle(report, arrival: arrival, &p)
          p.consumed = max(p.consumed, p.matcher.nextExpected)
          try await refill(&p)
        case .fault(let kind, let detail):
          context.strategy.invalidate()
          throw RigError(.hardwareFault, "the DUT reported a fault: \(kind) \(detail)")
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

    for index in p.matcher.finish() { recordMissing(index, &p) }
    try await stop(nonce: nonce, &result)
  }

  /// Matches one frame record and writes what it resolves.
  private func handle(_ report: FrameReport, arrival: ContinuousClock.Instant, _ p: inout Progress) throws {
    switch p.matcher.resolve(crc: report.frameCRC) {
    case .matched(let index, let dropped):
      for missing in dropped { recordMissing(missing, &p) }
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
        index: index, label: label, report: report, sentCRC: p.matcher.crc(of: index), finding: .matched,
        cpuHz: p.evaluator?.device.cpuHz ?? 0, hostSeconds: p.queuedAt.removeValue(forKey: index).map { (arrival - $0).seconds })
      p.csv?.write(outcome)
      context.observeFrame?(test.name, outcome)
    case .duplicate(let index):
      p.accounting.duplicated += 1
      context.record(.frameFinding(FrameFinding(
        test: test.name, frame: index, kind: .duplicated,
        detail: "frame \(index) reported again (read CRC \(hex8(report.frameCRC)))")))
    case .unknown:
      p.accounting.unknown += 1
      context.record(.frameFinding(FrameFinding(
        test: test.name, frame: p.matcher.nextExpected, kind: .unknown,
        detail: "the DUT read \(report.length) bytes with CRC \(hex8(report.frameCRC)), which match no frame "
          + "sent (expected frame \(p.matcher.nextExpected), CRC "
          + "\(p.matcher.nextExpected < p.matcher.sentCount ? hex8(p.matcher.crc(of: p.matcher.nextExpected)) : "none"))")))
    }
  }

  private func recordMissing(_ index: Int, _ p: inout Progress) {
    p.accounting.missing += 1
    p.queuedAt.removeValue(forKey: index)
    context.record(.frameFinding(FrameFinding(
      test: test.name, frame: index, kind: .missing, detail: "no result for frame \(index)")))
    let outcome = FrameOutcome(
      index: index, label: test.clip.labels[index], report: nil, sentCRC: p.matcher.crc(of: index),
      finding: .missing, cpuHz: 0)
    p.csv?.write(outcome)
    context.observeFrame?(test.name, outcome)
  }

  /// Notes which frames the emulator has latched, so the queue can be refilled behind them.
  private func drainEmulatorEvents(_ p: inout Progress) async throws {
    while let event = try await context.bench.camera.nextEvent(until: .now) {
      if case .captureDone(_, let frameIndex, _, _) = event {
        p.consumed = max(p.consumed, frameIndex + 1)
      }
    }
  }

  /// Sends a command and waits for its acknowledgement, reading past anything else.
  private func command(_ command: TelemetryCommand, expecting name: String, nonce: UInt32) async throws {
    try await context.console.send(command, within: timing.commandTimeout)
    let deadline = ContinuousClock.now + timing.commandTimeout
    while let item = try await context.console.next(until: deadline) {
      if case .record(let message, _) = item, message.nonce == nonce, case .ack(let acked) = message.record,
        acked == name
      {
        return
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

extension Duration {
  /// This duration in seconds, as a Double.
  public var seconds: Double {
    let (s, attoseconds) = components
    return Double(s) + Double(attoseconds) / 1e18
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation

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

  let test: TestCase
  let context: Context
  var timing: BenchTiming { context.bench.rig.timing }

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
    } catch {
      result.error = AttemptResult.error(ending: error, cancelled: Task.isCancelled)
      await settleOpenFrames(&progress)
    }
    progress.accounting.notSent = max(0, test.clip.frameCount - progress.accounting.sent)
    progress.closeArtifacts()
    if let writeError = progress.csv?.writeError {
      result.warnings.append("frames.csv is incomplete: \(writeError)")
    }
    progress.accounting.served = progress.join.servedCount
    result.accounting = progress.accounting
    result.deviceStatuses = progress.deviceStatuses
    result.warnings += AttemptResult.namedFindings(progress.named)
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
    /// The next frame to queue on the emulator.
    var nextToSend = 0
    /// The frame of a capture that never completed: already reported as such.
    var stuckFrame: Int?
    /// Frames reported with each status other than `ok`.
    var deviceStatuses: [String: Int] = [:]

    init(test: TestCase) { self.test = test }

    mutating func closeArtifacts() {
      csv?.close()
      csv = nil
    }
  }

  private func play(_ p: inout Progress, _ result: inout AttemptResult) async throws {
    let frames = try EmulatorFrameSource(clip: test.clip, format: context.bench.rig.cameraFormat)
    let testDeadline = ContinuousClock.now + test.timeout
    let nonce = try await prepare(&p, format: frames.format)
    try await refill(&p, from: frames)

    var lastProgress = ContinuousClock.now
    while p.join.matcher.nextExpected < frames.count {
      try Task.checkCancellation()
      let item = try await context.console.next(until: min(testDeadline, lastProgress + timing.hangTimeout))
      try await drainEmulatorEvents(&p)
      guard let item else {
        // Returns only when every frame was consumed and the DUT is alive: its last records
        // were lost.
        try await silence(&p, frames: frames.count, testDeadline: testDeadline, nonce: nonce)
        break
      }
      if try await take(item, &p, nonce: nonce, frames: frames.count) {
        lastProgress = ContinuousClock.now
        try await refill(&p, from: frames)
      }
    }

    try await emulatorBarrier(&p)
    for outcome in p.join.finish() { apply(outcome, arrival: .now, &p) }
    try await stop(nonce: nonce, &result)
  }

  /// Boots the board if needed, opens frames.csv, sets the emulator up for the clip (with the
  /// test's faults armed) and starts the test on the DUT; returns this boot's nonce.
  private func prepare(_ p: inout Progress, format: PixelFormat) async throws -> UInt32 {
    let camera = context.bench.camera
    let (identity, nonce) = try await context.strategy.ensureBooted()
    p.evaluator = Evaluator(device: Evaluator.DeviceFacts(identity))
    p.csv = try FramesCSVWriter(log: context.artifacts.create("frames.csv"), cpuHz: identity.cpuHz)

    let manifest = test.clip.manifest
    try await camera.reset(deadline: .now + timing.commandTimeout)
    try await camera.configure(
      CameraSetup(format: format, width: manifest.width, height: manifest.height, mode: .lockstep),
      deadline: .now + timing.commandTimeout)
    for fault in test.emulatorFaults {
      // Bus faults hit the camera check the firmware makes at `start`; frame faults wait for
      // their frame.
      try await camera.inject(
        fault.kind, mode: fault.mode, parameter: fault.parameter,
        frame: fault.kind.isFrameFault ? fault.frame : nil, deadline: .now + timing.commandTimeout)
    }
    try await command(.start(nonce: nonce, test: test.name), expecting: "start", nonce: nonce)
    return nonce
  }

  /// Keeps the emulator a few frames ahead: enough that the DUT never waits on the host, few
  /// enough that a fault is noticed close to the frame that caused it. Captures move the window
  /// (the DUT keeps going while its records are still on their way), but never further than
  /// `recordLag` frames past the last record taken in: a host that falls behind the console
  /// must slow the DUT down, not queue its records without bound.
  private func refill(_ p: inout Progress, from frames: EmulatorFrameSource) async throws {
    let camera = context.bench.camera
    let window = max(1, min(camera.queueCapacity, 8))
    let recordLag = 8 * window
    while p.nextToSend < frames.count && p.nextToSend - p.consumed < window
      && p.nextToSend - p.join.matcher.nextExpected < recordLag
    {
      let frame = try frames.frame(p.nextToSend)
      try await camera.enqueue(frame, deadline: .now + timing.commandTimeout)
      p.join.sent(crc: frame.crc32, length: frame.bytes.count)
      p.accounting.sent += 1
      p.queuedAt[p.nextToSend] = .now
      p.nextToSend += 1
    }
  }

  /// The console said nothing until the deadline: the test's timeout, a capture the emulator
  /// never completed, or a hang, each thrown. Returns only when every frame was consumed and the
  /// DUT answers a `stats` probe: it merely lost its last records.
  private func silence(
    _ p: inout Progress, frames n: Int, testDeadline: ContinuousClock.Instant, nonce: UInt32
  ) async throws {
    // The console's last lines when the error is raised, probe answers included.
    var recent: String { lastLines(context.console.recentLines) }
    if ContinuousClock.now >= testDeadline {
      throw RigError(
        .timedOut,
        "test timed out after \(test.timeout) with \(p.join.matcher.nextExpected) of \(n) frames reported" + recent)
    }
    if p.consumed >= n, try await isAlive(nonce: nonce) { return }
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
        p.stuckFrame = frame
        p.csv?.write(FrameOutcome(
          index: frame, label: test.clip.labels[frame], report: nil,
          sentCRC: p.join.matcher.crc(of: frame), finding: .captureStuck, cpuHz: 0))
      }
      throw RigError(
        .hardwareFault,
        "the camera emulator never raised CAP_DONE for capture \(stuck.sequence)\(frameText): the DUT's "
          + "driver polls 0x41 for ever and sent nothing for \(timing.hangTimeout)"
          + armedNote(stuck.frame) + recent)
    }
    throw RigError(
      .hang,
      "the DUT stopped answering: no telemetry for \(timing.hangTimeout) after frame "
        + "\(max(p.join.matcher.nextExpected - 1, 0)) of \(n)" + recent)
  }

  /// Takes in one console item; true when it was a record of this boot (the DUT is alive).
  /// Throws when it ends the test: a reset, a fault, a failed camera check.
  private func take(_ item: ConsoleItem, _ p: inout Progress, nonce: UInt32, frames n: Int) async throws -> Bool {
    switch item {
    case .record(let message, let arrival):
      guard message.nonce == nonce else {
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
        return false
      }
      switch message.record {
      case .frame(let report):
        if p.join.needsServedView(report) {
          // The record matches no frame: the emulator's events about it may still be on their
          // way over the other link. A status round trip brings every earlier one in.
          try await emulatorBarrier(&p)
        }
        for outcome in p.join.resolve(report) { apply(outcome, arrival: arrival, &p) }
        p.consumed = max(p.consumed, p.join.matcher.nextExpected)
      case .fault(let kind, let detail):
        context.strategy.invalidate()
        throw RigError(.hardwareFault, "the DUT reported a fault: \(kind) \(detail)")
      case .error(let code, let detail) where code.hasPrefix("camera_"):
        // The firmware's camera check failed: no frame it reads can be trusted.
        throw cameraCheckFailed(code, detail, after: lastLines(context.console.recentLines))
      case .error(let code, let detail):
        context.record(.note(Note(level: .warning, message: "DUT error \(code): \(detail)", test: test.name)))
      case .boot, .hello, .summary, .ack:
        break
      }
      return true
    case .damaged(let line, let reason, _):
      p.accounting.badChecksum += 1
      context.record(.frameFinding(FrameFinding(
        test: test.name, frame: nil, kind: .badChecksum,
        detail: "damaged telemetry record (\(reason)): \(line.prefix(120))")))
    case .log:
      p.accounting.logLines += 1
    }
    return false
  }

  /// A test that ended early (hang, timeout, reset, interruption) still accounts for every frame
  /// it sent: each one not reported becomes dropped (the emulator served it) or missing, with its
  /// frames.csv row and finding. The emulator's events already received say which it served; a
  /// camera that cannot answer any more leaves them missing.
  private func settleOpenFrames(_ p: inout Progress) async {
    guard !p.join.matcher.isComplete else { return }
    try? await drainEmulatorEvents(&p)
    for outcome in p.join.finish() where outcome.index == nil || outcome.index != p.stuckFrame {
      apply(outcome, arrival: .now, &p)
    }
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
        p.deviceStatuses[report.status, default: 0] += 1
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
  func cameraCheckFailed(_ code: String, _ detail: String, after consoleTail: String = "") -> RigError {
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
}

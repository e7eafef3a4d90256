// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Plays one clip into the booted DUT and collects its results: one attempt of one test, DESIGN
/// §3 steps 5 and 6 — boot if needed, configure the emulator, stream the clip's frames, take in
/// one record per frame and match it to its frame, watch for hangs, resets and garbage, stop at
/// the clip's end or the test's timeout.
///
/// The emulator is kept a few frames ahead of the DUT (lockstep: each frame answers one capture);
/// each telemetry record is matched to its frame by CRC; a watchdog catches a DUT that stops
/// answering, and the test's own timeout bounds the attempt once the board is booted. Used by
/// one task (the runner's): its state lives here between the steps.
final class TestSession {
  struct Context {
    var bench: Bench
    var console: ConsoleMonitor
    var strategy: BoardStrategy
    var artifacts: ArtifactFolder
    var record: (RunEvent) -> Void
    var observeFrame: SuiteRunner.FrameObserver?
  }

  /// What the attempt has measured so far, kept outside the steps so that a thrown error still
  /// leaves everything measured up to that point.
  struct Progress {
    /// Sent, served and read: the three views of every frame.
    var join = FrameJoin()
    var accounting = FrameAccounting()
    /// Frames with a finding, by finding name, for the test's result.
    var named: [String: [Int]] = [:]
    var evaluator: Evaluator?
    var csv: FramesCSVWriter?
    var queuedAt: [Int: HostClock.Instant] = [:]
    /// Frames whose capture the emulator has latched (they left its queue).
    var consumed = 0
    /// The next frame to queue on the emulator.
    var nextToSend = 0
    /// The frame of a capture that never completed: already reported as such.
    var stuckFrame: Int?
    /// Frames reported with each status other than `ok`.
    var deviceStatuses: [String: Int] = [:]
    /// Warnings for the test's result, even when it passes.
    var warnings: [String] = []

    /// The lowest frame not yet reported or given up.
    var nextExpected: Int { join.matcher.nextExpected }
  }

  let test: TestCase
  let context: Context
  var progress = Progress()
  var timing: BenchTiming { context.bench.rig.timing }
  /// The run's clock: every deadline and arrival of the attempt is read from it.
  var clock: HostClock { context.console.clock }

  init(test: TestCase, context: Context) {
    self.test = test
    self.context = context
  }

  /// Runs the attempt to its end, whatever ends it, and says what it measured.
  func run() async -> AttemptResult {
    let startedAt = Date()
    let start = clock.now
    var error: RigError?
    do {
      try await play()
    } catch let thrown {
      error = AttemptResult.error(ending: thrown, cancelled: Task.isCancelled)
      await settleOpenFrames()
    }
    var result = conclude(startedAt: startedAt)
    result.error = error
    result.duration = (clock.now - start).seconds
    return result
  }

  /// The steps of one attempt, in order; each throws what ends the test.
  private func play() async throws {
    let frames = try EmulatorFrameSource(clip: test.clip, format: context.bench.rig.cameraFormat)
    let (identity, nonce) = try await context.strategy.ensureBooted()
    // The test's timeout counts from here: the boot is the board's time, not the test's.
    let testDeadline = clock.deadline(after: test.timeout)
    progress.evaluator = Evaluator(device: Evaluator.DeviceFacts(identity))
    progress.csv = try FramesCSVWriter(log: context.artifacts.create("frames.csv"), cpuHz: identity.cpuHz)
    try await configureCamera(format: frames.format)
    try await command(.start(nonce: nonce, test: test.name), expecting: "start", nonce: nonce)
    try await stream(frames, nonce: nonce, until: testDeadline)
    try await emulatorBarrier()
    for outcome in progress.join.finish() { apply(outcome, arrival: clock.now) }
    try await stop(nonce: nonce)
  }

  /// Sets the emulator up for the clip, in lockstep, with the test's faults armed.
  private func configureCamera(format: PixelFormat) async throws {
    let camera = context.bench.camera
    let manifest = test.clip.manifest
    try await camera.reset(deadline: clock.deadline(after: timing.commandTimeout))
    try await camera.configure(
      CameraSetup(format: format, width: manifest.width, height: manifest.height, mode: .lockstep),
      deadline: clock.deadline(after: timing.commandTimeout))
    for fault in test.emulatorFaults {
      // Bus faults hit the camera check the firmware makes at `start`; frame faults wait for
      // their frame.
      try await camera.inject(
        fault.kind, mode: fault.mode, parameter: fault.parameter,
        frame: fault.kind.isFrameFault ? fault.frame : nil, deadline: clock.deadline(after: timing.commandTimeout))
    }
  }

  /// Streams the clip into the DUT and takes in what it says until every frame is accounted
  /// for. The watchdog's deadline moves with each record of this boot; silence until it (or the
  /// test's deadline) is judged by `silence`.
  private func stream(_ frames: EmulatorFrameSource, nonce: UInt32, until testDeadline: HostClock.Instant) async throws {
    try await refill(from: frames)
    var lastRecord = clock.now
    while progress.nextExpected < frames.count {
      try Task.checkCancellation()
      let item = try await context.console.next(until: min(testDeadline, lastRecord + timing.hangTimeout))
      try await drainEmulatorEvents()
      guard let item else {
        // Returns only when every frame was consumed and the DUT is alive: its last records
        // were lost.
        try await silence(frames: frames.count, testDeadline: testDeadline, nonce: nonce)
        return
      }
      if try await take(item, nonce: nonce, frames: frames.count) {
        lastRecord = clock.now
        try await refill(from: frames)
      }
    }
  }

  /// A test that ended early (hang, timeout, reset, interruption) still accounts for every frame
  /// it sent: each one not reported becomes dropped (the emulator served it) or missing, with its
  /// frames.csv row and finding. The emulator's events already received say which it served; a
  /// camera that cannot answer any more leaves them missing.
  private func settleOpenFrames() async {
    guard !progress.join.matcher.isComplete else { return }
    try? await drainEmulatorEvents()
    for outcome in progress.join.finish() where outcome.index == nil || outcome.index != progress.stuckFrame {
      apply(outcome, arrival: clock.now)
    }
  }

  /// What the attempt measured: frames.csv closed, every frame accounted for, the metrics.
  private func conclude(startedAt: Date) -> AttemptResult {
    var result = AttemptResult(startedAt: startedAt, duration: 0)
    result.warnings = progress.warnings
    if let csv = progress.csv {
      csv.close()
      if let writeError = csv.writeError { result.warnings.append("frames.csv is incomplete: \(writeError)") }
      progress.csv = nil
    }
    var accounting = progress.accounting
    accounting.notSent = max(0, test.clip.frameCount - accounting.sent)
    accounting.served = progress.join.servedCount
    result.accounting = accounting
    result.deviceStatuses = progress.deviceStatuses
    result.warnings += AttemptResult.namedFindings(progress.named)
    result.metrics = progress.evaluator?.metrics(accounting: accounting) ?? []
    return result
  }

  /// Remembers a frame with a finding for the summary in the test's result.
  func name(_ kind: FrameFinding.Kind, _ index: Int?) {
    guard let index else { return }
    progress.named[kind.rawValue, default: []].append(index)
  }

  /// Records a finding of this test.
  func found(_ kind: FrameFinding.Kind, frame: Int?, _ detail: String) {
    context.record(.frameFinding(FrameFinding(test: test.name, frame: frame, kind: kind, detail: detail)))
  }

  /// Records the DUT's failed camera check as a finding and returns the test's error.
  func cameraCheckFailed(_ code: String, _ detail: String, after consoleTail: String = "") -> RigError {
    found(.cameraFailed, frame: nil, "\(code): \(detail)")
    return RigError(
      .hardwareFault, "the DUT's camera check failed: \(code) \(detail)" + armedNote(nil) + consoleTail)
  }

  /// What the test armed on the emulator, for messages about what it caused.
  func armedNote(_ frame: Int?) -> String {
    let armed = test.emulatorFaults.filter { $0.frame == nil || $0.frame == frame || !$0.kind.isFrameFault }
    guard !armed.isEmpty else { return "" }
    return " (the test injected " + armed.map { f in
      f.kind.rawValue + (f.kind.isFrameFault ? f.frame.map { " at frame \($0)" } ?? "" : "")
    }.joined(separator: ", ") + ")"
  }
}

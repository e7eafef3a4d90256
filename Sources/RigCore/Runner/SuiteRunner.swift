// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs a plan on a bench (DESIGN §3): safe state, boot, each test with its retries, verdicts,
/// then safe state again — whatever happened, including cancellation by a signal.
///
/// Every step is published as a `TimedEvent` the moment it happens; the result is a pure
/// function of those events, so a crash loses nothing that `rig report` cannot rebuild.
public final class SuiteRunner {
  public typealias EventSink = (TimedEvent) -> Void
  public typealias FrameObserver = @Sendable (String, FrameOutcome) -> Void

  private let plan: RunPlan
  private let bench: Bench
  /// Where console logs and frame CSVs go.
  private let artifacts: any ArtifactSink
  private let emit: EventSink
  private let observeFrame: FrameObserver?
  /// Why the run is being cancelled ("SIGINT", "SIGTERM"), read when cancellation is seen.
  private let interruptionReason: @Sendable () -> String?
  /// Every deadline of the run is read from this clock.
  private let clock: HostClock

  public init(
    plan: RunPlan, bench: Bench, artifacts: any ArtifactSink, events: @escaping EventSink,
    frames: FrameObserver? = nil, interruptionReason: @escaping @Sendable () -> String? = { nil },
    clock: HostClock = .continuous
  ) {
    self.plan = plan
    self.bench = bench
    self.artifacts = artifacts
    self.emit = events
    self.observeFrame = frames
    self.interruptionReason = interruptionReason
    self.clock = clock
  }

  public func run() async -> RunResult {
    let startedAt = Date()
    let start = clock.now
    var events: [TimedEvent] = []
    let record: (RunEvent) -> Void = { event in
      let timed = TimedEvent(event)
      events.append(timed)
      self.emit(timed)
    }

    record(.runStarted(Self.runStart(plan, at: startedAt)))

    let console = ConsoleMonitor(link: bench.console, clock: clock)
    let strategy = BoardStrategy(bench: bench, console: console) { change in
      record(.boardState(change))
    }

    var results: [TestResult] = []
    do {
      try await strategy.powerOff()
      if let failure = try await FlashStep(plan: plan, bench: bench, strategy: strategy, record: record).run() {
        // The board does not run the suite's firmware: no test can say anything about it.
        for test in plan.tests {
          let result = TestResult(
            name: test.name, classname: plan.classname, verdict: test.skipReason == nil ? .errored : .skipped,
            message: test.skipReason ?? failure.message,
            errorType: test.skipReason == nil ? failure.errorType : nil, details: failure.details)
          results.append(result)
          record(.testFinished(result))
        }
      } else {
        for test in plan.tests {
          let result = await runTest(test, console: console, strategy: strategy, record: record)
          results.append(result)
          record(.testFinished(result))
        }
      }
    } catch {
      // Only the initial safe state and the flash step can throw here. Cancelled, no test runs;
      // otherwise the bench is not usable at all.
      let interrupted = error is CancellationError || Task.isCancelled
      let message = "could not put the bench in a safe state: \(error)"
      if !interrupted { record(.note(Note(level: .error, message: message))) }
      for test in plan.tests.dropFirst(results.count) {
        let result =
          interrupted
          ? notRun(test, because: "not run: the run was interrupted (\(interruptionReason() ?? "cancelled"))")
          : TestResult(
            name: test.name, classname: plan.classname, verdict: .errored, message: message, errorType: "RigError")
        results.append(result)
        record(.testFinished(result))
      }
    }

    await makeSafe(strategy: strategy, console: console, record: record)
    recordArtifactFailures(test: nil, record: record)
    let interruption = Task.isCancelled ? (interruptionReason() ?? "interrupted") : nil
    var run = RunResult(
      runID: plan.runID, suite: plan.suite.name, rig: plan.rig.name, startedAt: startedAt,
      duration: (clock.now - start).seconds, properties: RunResultBuilder.properties(from: events),
      tests: results, interruption: interruption)
    record(.runFinished(RunFinish(interruption: interruption, exitStatus: ExitStatus(run: run).rawValue)))
    // The report is what the events say, exactly as `rig report` would rebuild it.
    if let rebuilt = try? RunResultBuilder.build(events) {
      run = rebuilt
    }
    return run
  }

  /// The first event of a run of `plan`.
  private static func runStart(_ plan: RunPlan, at startedAt: Date) -> RunStart {
    RunStart(
      runID: plan.runID, suite: plan.suite.name, suiteFile: plan.suite.file.displayPath,
      rig: plan.rig.name, rigFile: plan.rig.file.displayPath, startedAt: startedAt,
      plannedTests: plan.tests.map {
        PlannedTest(
          name: $0.name, classname: plan.classname, clip: $0.clip.directory.displayPath,
          frames: $0.clip.frameCount, tags: $0.tags, clipHash: plan.identity?.clipHashes[$0.name],
          limits: $0.limits, relativeLimits: $0.relativeLimits.isEmpty ? nil : $0.relativeLimits)
      },
      properties: [
        .init("rig.id", plan.rig.name), .init("rig.board", plan.rig.board),
        .init("run.id", plan.runID), .init("suite.file", plan.suite.file.displayPath),
        .init("rig.file", plan.rig.file.displayPath),
        .init("tool.version", plan.toolVersion), .init("timestamp.tz", "UTC"),
      ] + (plan.identity?.properties ?? []))
  }

  /// A run of `plan` that ended before its first test could start: the events of a run in which
  /// every selected test is errored (`errorType`) with the reason, or skipped as the suite says,
  /// and the result they rebuild to. So every run that got past loading has its reports.
  public static func notStarted(
    _ plan: RunPlan, because failure: StartFailure, errorType: String, events emit: EventSink
  ) -> RunResult {
    var events: [TimedEvent] = []
    func record(_ event: RunEvent) {
      events.append(TimedEvent(event))
      emit(events[events.count - 1])
    }
    let startedAt = Date()
    record(.runStarted(runStart(plan, at: startedAt)))
    record(.note(Note(level: .error, message: failure.reason)))
    for test in plan.tests {
      record(.testFinished(TestResult(
        name: test.name, classname: plan.classname, verdict: test.skipReason == nil ? .errored : .skipped,
        message: test.skipReason ?? "not run: \(firstLine(failure.reason))",
        errorType: test.skipReason == nil ? errorType : nil,
        details: test.skipReason == nil ? failure.reason : nil)))
    }
    record(.runFinished(RunFinish(interruption: nil, exitStatus: failure.exitStatus, startFailure: failure)))
    return (try? RunResultBuilder.build(events))
      ?? RunResult(
        runID: plan.runID, suite: plan.suite.name, rig: plan.rig.name, startedAt: startedAt, duration: 0,
        properties: [], tests: [], startFailure: failure)
  }

  /// One test: skipped, or attempted until it passes, fails, or runs out of retries.
  private func runTest(
    _ test: TestCase, console: ConsoleMonitor, strategy: BoardStrategy, record: @escaping (RunEvent) -> Void
  ) async -> TestResult {
    let artifactPath = RunPlan.artifactPath(test: test.name)
    if let reason = test.skipReason {
      return TestResult(
        name: test.name, classname: plan.classname, verdict: .skipped, message: reason)
    }
    if Task.isCancelled {
      return notRun(test, because: "not run: the run was interrupted (\(interruptionReason() ?? "cancelled"))")
    }

    let folder = ArtifactFolder(sink: artifacts, path: artifactPath)
    var earlier: [AttemptSummary] = []
    var attempt = 1
    while true {
      record(.testStarted(TestStart(name: test.name, attempt: attempt)))
      console.startLog(try? folder.create("console.log"))
      let session = TestSession(
        test: test,
        context: .init(
          bench: bench, console: console, strategy: strategy, artifacts: folder,
          record: record, observeFrame: observeFrame))
      let outcome = await session.run()
      console.stopLog()
      var result = verdict(for: test, outcome, console: console)
      // Only files that exist: a test that errored before its first frame has no frames.csv.
      result.attachments = folder.existing(["frames.csv", "console.log"])
      recordArtifactFailures(test: test.name, record: record)

      if result.verdict == .errored {
        // A rig fault leaves the board in an unknown state: cut power now so it is safe between
        // tests, and boot it fresh for the next attempt or test.
        try? await strategy.powerOff()
      }
      let canRetry = result.verdict == .errored && attempt <= test.retries && !Task.isCancelled
      if canRetry {
        earlier.append(AttemptSummary(
          verdict: result.verdict, message: result.message ?? "", errorType: result.errorType ?? "RigError",
          duration: result.duration))
        record(.note(Note(
          level: .warning, message: "attempt \(attempt) errored, retrying: \(result.message ?? "")",
          test: test.name)))
        attempt += 1
        continue
      }
      result.earlierAttempts = earlier
      return result
    }
  }

  /// The verdict of an attempt: errored if rig could not measure, failed if a limit broke.
  private func verdict(for test: TestCase, _ outcome: AttemptResult, console: ConsoleMonitor) -> TestResult {
    var result = TestResult(
      name: test.name, classname: plan.classname, verdict: .passed, startedAt: outcome.startedAt,
      duration: outcome.duration, metrics: outcome.metrics, frames: outcome.accounting)
    var details = outcome.warnings

    if let error = outcome.error {
      result.verdict = .errored
      result.errorType = error.code == .interrupted ? "Interrupted" : error.junitType
      if error.code == .interrupted {
        result.message = "interrupted by \(interruptionReason() ?? "cancellation")"
        details.insert(result.message!, at: 0)
        if let cause = error.cause { details.insert("the step under way then ended with: \(cause)", at: 1) }
      } else {
        result.message = firstLine(error.description)
        details.insert(error.description, at: 0)
      }
    } else if let nothing = Self.nothingMeasured(outcome) {
      // Limits or not, a test that measured nothing says nothing about the firmware.
      result.verdict = .errored
      result.errorType = "NothingMeasured"
      result.message = nothing
    } else {
      result.violations = Evaluator.violations(of: test.limits, in: outcome.metrics)
      if !result.violations.isEmpty {
        result.verdict = .failed
        result.errorType = "LimitViolation"
        let n = result.violations.count
        result.message = n == 1
          ? result.violations[0].description
          : "\(n) limits violated: " + result.violations.map { $0.limit.metric.rawValue }.joined(separator: ", ")
        details.insert(contentsOf: result.violations.map(\.description), at: 0)
      }
    }
    let a = outcome.accounting
    let camera = a.damaged + a.truncated + a.badLength + a.captureStuck
    let problems = a.missing + a.duplicated + a.unknown + a.badChecksum + a.staleNonce + a.deviceErrors + camera
    if problems + a.notSent > 0 {
      details.append(
        "frames: \(a.sent) sent, \(a.served) served, \(a.matched) reported, \(a.missing) missing "
          + "(\(a.dropped) dropped by the DUT), \(a.duplicated) duplicated, \(a.unknown) unknown, "
          + "\(a.damaged) damaged, \(a.truncated) truncated, \(a.badLength) bad length, "
          + "\(a.deviceErrors) with device errors; records: \(a.badChecksum) damaged, \(a.staleNonce) stale"
          + (a.notSent > 0 ? "; \(a.notSent) of the clip's \(test.clip.frameCount) frames never sent (the test ended first)" : ""))
    }
    result.details = details.isEmpty ? nil : details.joined(separator: "\n")
    result.log = console.recentLines.joined(separator: "\n")
    return result
  }

  /// Notes every artifact that could not be written in full since the last call, while the
  /// event log can still say so.
  private var artifactFailuresNoted = 0
  private func recordArtifactFailures(test: String?, record: (RunEvent) -> Void) {
    let failures = artifacts.failures
    for failure in failures.dropFirst(artifactFailuresNoted) {
      record(.note(Note(level: .error, message: failure.description, test: test)))
    }
    artifactFailuresNoted = failures.count
  }

  /// Why an attempt that ran to its end scored no frame, or nil when it scored some.
  static func nothingMeasured(_ outcome: AttemptResult) -> String? {
    let scored = outcome.metrics.first { $0.metric == .framesScored }?.value ?? 0
    guard scored == 0 else { return nil }
    let a = outcome.accounting
    guard a.matched > 0 else {
      return "nothing was measured: no frame result arrived from the DUT (\(a.sent) frames sent)"
    }
    let statuses = outcome.deviceStatuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    if a.deviceErrors == a.matched {
      return "nothing was measured: all \(a.matched) frames the DUT reported carry an error status "
        + "(\(statuses.joined(separator: ", "))), so no count, latency or RAM figure exists"
    }
    return "nothing was measured: none of the \(a.matched) frames the DUT reported could be scored"
  }

  private func notRun(_ test: TestCase, because reason: String) -> TestResult {
    TestResult(
      name: test.name, classname: plan.classname, verdict: .errored, message: reason, errorType: "Interrupted")
  }

  /// Power off, under its own deadline, even when the run is cancelled.
  private func makeSafe(strategy: BoardStrategy, console: ConsoleMonitor, record: (RunEvent) -> Void) async {
    let power = bench.power
    let rig = plan.rig.name
    let outcome = await Task.detached { () -> String? in
      do {
        try await power.set(.off)
        return nil
      } catch {
        return "could not switch \(rig) off: \(error)"
      }
    }.value
    if let outcome {
      record(.note(Note(level: .error, message: outcome)))
    } else {
      record(.boardState(BoardStateChange(state: "off", detail: "run finished: power off")))
    }
    console.stopLog()
  }
}

private func firstLine(_ text: String) -> String {
  let line = text.prefix { $0 != "\n" }
  return line.count > 200 ? String(line.prefix(197)) + "..." : String(line)
}

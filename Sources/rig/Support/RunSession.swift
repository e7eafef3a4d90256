// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHistory

/// The part of `rig run` and `rig test` that is the same: load, lock, open, run, report, exit.
struct RunSession {
  var suiteFile: URL
  var options: RunOptions
  var only: [String] = []
  var tags: [String] = []
  /// Extra console output per frame (`rig test`).
  var frameObserver: SuiteRunner.FrameObserver?
  /// Flash even when the board already runs the suite's image (`--force`).
  var forceFlash = false
  /// Where to record the run (`rig run`); nil records nothing (`rig test`).
  var history: HistoryOptions?
  /// The baseline to judge relative limits against (`--baseline`); nil chooses it (BaselineChoice).
  var baseline: String?
  var progress: ProgressPrinter
  /// The hardware layer's choices on standard error too (`-v`).
  var verbose = false
  /// `rig test`: the named test must run; a skipped one is refused unless this is set, and then
  /// run as if it were not skipped (`--include-skipped`).
  var runsSkipped: Bool?

  /// Runs and returns the exit code for the run's worst verdict.
  func execute() async -> ExitCode {
    do {
      let (suite, rig, tests) = try load()
      // Opened before the bench, so a damaged history stops the run before it touches hardware.
      let store = try history?.location(rig: rig).map { try HistoryStore(url: $0, create: true) }
      let identity = try RunIdentity.read(
        suite: suite, tests: tests, rig: rig, board: BoardLookup.board(of: rig))
      let runID = RunID.make(
        date: Date(), suite: suite.name, avoiding: URL(fileURLWithPath: options.reports))
      let reportDirectory = URL(fileURLWithPath: options.reports).appendingPathComponent(runID)
      try FileManager.default.createDirectory(at: reportDirectory, withIntermediateDirectories: true)
      let eventLog = try EventLogWriter(url: reportDirectory.appendingPathComponent("events.ndjson"))
      var planned = RunPlan(
        suite: suite, tests: tests, rig: rig, runID: runID, reportDirectory: reportDirectory,
        toolVersion: "rig \(Rig.version)")
      planned.forceFlash = forceFlash
      planned.noFlash = options.noFlash
      planned.identity = identity
      let plan = planned

      let lock: RigLock
      let bench: Bench
      let kind: String
      do {
        // A suite naming an image runs on that image or not at all, unless the user says so.
        if !options.noFlash, let issue = FlasherRequirement.issue(suite: suite, rig: rig) {
          throw ConfigError([issue])
        }
        lock = try RigLock.acquire(rig: rig, purpose: "rig run \(suiteFile.displayPath)")
        do {
          (bench, kind) = try await BenchFactory.open(rig, verbose: verbose)
        } catch {
          lock.release()
          throw error
        }
      } catch {
        return notStarted(plan, because: error, eventLog: eventLog)
      }
      defer { lock.release() }
      progress.begin(suite: suite, tests: tests, rig: rig, benchKind: kind, reportDirectory: reportDirectory)
      return await run(plan, on: bench, eventLog: eventLog, history: store)
    } catch {
      return Failure.exit(error)
    }
  }

  /// The suite, the rig and the tests to run; every problem of the files at once.
  private func load() throws -> (Suite, RigConfiguration, [TestCase]) {
    var issues: [ConfigIssue] = []
    var loadedSuite: Suite?
    var loadedRig: RigConfiguration?
    do { loadedSuite = try SuiteLoader.load(suiteFile) } catch { issues += error.issues }
    do { loadedRig = try RigLoader.load(options.rigURL) } catch { issues += error.issues }
    guard let suite = loadedSuite, let loadedRig, issues.isEmpty else { throw ConfigError(issues) }
    let rig = try options.seeded(loadedRig)
    var tests = try TestSelection.select(suite.tests, only: only, tags: tags)
    if let runsSkipped {
      for index in tests.indices {
        guard let reason = tests[index].skipReason else { continue }
        guard runsSkipped else {
          throw RigError(
            .usage,
            "test '\(tests[index].name)' is skipped (\(tests[index].location): \(reason)); rig test runs "
              + "it only with --include-skipped")
        }
        tests[index].skipReason = nil
      }
    }
    if forceFlash && options.noFlash {
      throw RigError(.usage, "--force flashes and --no-flash never does: give one of them")
    }
    return (suite, rig, tests)
  }

  /// A run stopped before its first test (the rig locked, the bench unavailable, no flasher for
  /// the suite's image): the error as any command prints it, and reports in which every selected
  /// test is errored with it, so CI finds a junit.xml whatever happened.
  private func notStarted(_ plan: RunPlan, because error: any Error, eventLog: EventLogWriter) -> ExitCode {
    let code = Failure.exit(error)
    let reason: String
    let errorType: String
    switch error {
    case let config as ConfigError:
      reason = config.issues.map(\.description).joined(separator: "\n")
      errorType = "ConfigError"
    case let rig as RigError where rig.code == .hardwareUnavailable:
      reason = rig.description
      errorType = "HardwareUnavailable"
    default:
      reason = "\(error)"
      errorType = "RigError"
    }
    let progress = self.progress
    let run = SuiteRunner.notStarted(
      plan, because: StartFailure(reason: reason, exitStatus: code.rawValue), errorType: errorType,
      events: { event in
        do { try eventLog.append(event) } catch { progress.eventLogFailed(error) }
      })
    eventLog.close()
    do {
      try ReportWriter.write(run, to: plan.reportDirectory, attachmentRoot: plan.reportDirectory.displayPath)
      Terminal.out(
        "reports: \(plan.reportDirectory.displayPath)/ (junit.xml, results.json, events.ndjson): "
          + "\(run.count(.errored)) test\(run.count(.errored) == 1 ? "" : "s") errored, not run")
      Terminal.out("report: \(plan.reportDirectory.displayPath)/report.html")
    } catch {
      Terminal.error("error: \(error)")
    }
    return code
  }

  /// The run itself, under the signal trap, and its reports.
  private func run(
    _ plan: RunPlan, on bench: Bench, eventLog: EventLogWriter, history store: HistoryStore?
  ) async -> ExitCode {
    let trap = SignalTrap()
    let progress = self.progress
    let observer = frameObserver
    let reportDirectory = plan.reportDirectory
    let baseline = self.baseline
    // The reports are written inside the trap too: a signal then cannot cut them short.
    let run = await trap.run { () -> RunResult in
      let runner = SuiteRunner(
        plan: plan, bench: bench,
        events: { event in
          do { try eventLog.append(event) } catch { progress.eventLogFailed(error) }
          progress.event(event)
        },
        frames: observer, interruptionReason: { trap.reason })
      var run = await runner.run()
      let judged = HistoryJudgement.apply(run, folder: reportDirectory, store: store, requested: baseline)
      for event in judged.events {
        do { try eventLog.append(TimedEvent(event)) } catch { progress.eventLogFailed(error) }
      }
      run = judged.run
      eventLog.close()
      // Released outside the cancelled task, as the power-off was: cleanup is not to be cut short.
      await Task.detached { await bench.close() }.value
      let history = store.map { ReportHistoryLookup.lookup(run, folder: reportDirectory, store: $0, requested: baseline) }
      do {
        try ReportWriter.write(
          run, to: reportDirectory, attachmentRoot: reportDirectory.displayPath, history: history ?? .none)
      } catch {
        Terminal.error("error: \(error)")
      }
      return run
    }
    Terminal.out(ConsoleSummary.render(run, color: Terminal.supportsColor))
    Terminal.out("reports: \(reportDirectory.displayPath)/ (junit.xml, results.json, events.ndjson)")
    Terminal.out("report: \(reportDirectory.displayPath)/report.html")
    let historyFailure = store.flatMap { HistoryRecorder.recordFinished(folder: reportDirectory, into: $0) }
    let status = ExitStatus(run: run).rawValue
    return ExitCode(status == 0 ? historyFailure ?? 0 : status)
  }
}

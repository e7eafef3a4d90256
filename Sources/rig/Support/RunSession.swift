// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHistory
import RigSystem

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
      // Before anything touches the bench: a run that cannot keep its evidence does not start.
      let folder = try RunFolder.create(reportDirectory)
      let eventLog = try EventLogWriter(sink: folder)
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
        return notStarted(plan, because: error, folder: folder, eventLog: eventLog)
      }
      defer { lock.release() }
      progress.begin(suite: suite, tests: tests, rig: rig, benchKind: kind, reportDirectory: reportDirectory)
      return await run(plan, on: bench, folder: folder, eventLog: eventLog, history: store)
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
  private func notStarted(
    _ plan: RunPlan, because error: any Error, folder: RunFolder, eventLog: EventLogWriter
  ) -> ExitCode {
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
      reason = ErrorText.describe(error)
      errorType = "RigError"
    }
    let progress = self.progress
    let run = SuiteRunner.notStarted(
      plan, because: StartFailure(reason: reason, exitStatus: code.rawValue), errorType: errorType,
      events: { event in
        do { try eventLog.append(event) } catch { progress.eventLogFailed(error) }
      })
    let (written, _) = writeReports(run, folder: folder, eventLog: eventLog)
    if let line = Evidence.reportsLine(folder, written: written, events: true) {
      Terminal.out(
        "\(line): \(run.count(.errored)) test\(run.count(.errored) == 1 ? "" : "s") errored, not run")
    }
    if let line = Evidence.pageLine(folder, written: written) { Terminal.out(line) }
    return code
  }

  /// The run itself, under the signal trap, and its reports.
  private func run(
    _ plan: RunPlan, on bench: Bench, folder: RunFolder, eventLog: EventLogWriter,
    history store: HistoryStore?
  ) async -> ExitCode {
    let trap = SignalTrap()
    let progress = self.progress
    let observer = frameObserver
    let reportDirectory = plan.reportDirectory
    let baseline = self.baseline
    // The reports are written inside the trap too: a signal then cannot cut them short.
    let (run, written, complete) = await trap.run { () -> (RunResult, [String], Bool) in
      let runner = SuiteRunner(
        plan: plan, bench: bench, artifacts: folder,
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
      // Released outside the cancelled task, as the power-off was: cleanup is not to be cut short.
      await Task.detached { await bench.close() }.value
      let history = store.map { ReportHistoryLookup.lookup(run, folder: reportDirectory, store: $0, requested: baseline) }
      let (written, complete) = writeReports(run, folder: folder, eventLog: eventLog, history: history ?? .none)
      return (run, written, complete)
    }
    let status = ExitStatus(run: run).evidence(complete: complete)
    Terminal.out(ConsoleSummary.render(run, color: Terminal.supportsColor, exit: status))
    if let line = Evidence.reportsLine(folder, written: written, events: true) { Terminal.out(line) }
    if let line = Evidence.pageLine(folder, written: written) { Terminal.out(line) }
    let historyFailure = store.flatMap { HistoryRecorder.recordFinished(folder: reportDirectory, into: $0) }
    return ExitCode(status == .allPassed ? historyFailure ?? 0 : status.rawValue)
  }

  /// Writes the reports, names every file of the run that is cut or missing (on standard error,
  /// and in the events while they can still be written), then closes the event log. Returns the
  /// reports written and whether the run's evidence is complete.
  private func writeReports(
    _ run: RunResult, folder: RunFolder, eventLog: EventLogWriter, history: ReportHistory = .none
  ) -> (written: [String], complete: Bool) {
    let noted = folder.failures.count
    var written: [String] = []
    var rendered = true
    do {
      written = try ReportWriter.write(
        run, to: folder, attachmentRoot: folder.location, frames: FrameTableFiles.read(run, in: folder.url),
        history: history)
    } catch {
      Terminal.error("error: \(ErrorText.describe(error))")
      rendered = false
    }
    let complete = Evidence.account(folder.failures, noting: noted, events: eventLog) && rendered
    eventLog.close()
    return (written, complete)
  }
}

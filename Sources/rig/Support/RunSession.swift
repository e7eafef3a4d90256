// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore

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
  var progress: ProgressPrinter
  /// The hardware layer's choices on standard error too (`-v`).
  var verbose = false
  /// `rig test`: the named test must run; a skipped one is refused unless this is set, and then
  /// run as if it were not skipped (`--include-skipped`).
  var runsSkipped: Bool?
  /// `rig run`: shard, earlier failures, quarantine list, timeout multiplier.
  var selection: SelectionOptions?

  /// Runs and returns the exit code for the run's worst verdict.
  func execute() async -> ExitCode {
    do {
      let (suite, rig, choice) = try load()
      if let nothing = choice.nothingToRun {
        Terminal.out(nothing)
        return .success
      }
      let tests = choice.tests
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
      planned.properties = choice.properties
      let plan = planned

      let lock: RigLock
      let bench: Bench
      let kind: String
      do {
        // A suite naming an image runs on that image or not at all, unless the user says so.
        if !options.noFlash, let issue = FlasherRequirement.issue(suite: suite, rig: rig) {
          throw ConfigError([issue])
        }
        try QuarantineStore.refuseIfQuarantined(rig)
        lock = try RigLock.acquire(rig: rig, purpose: "rig run \(suiteFile.displayPath)")
        do {
          (bench, kind) = try await BenchFactory.open(rig, verbose: verbose)
          do {
            try await HealthGate.check(rig, on: bench, run: plan)
          } catch {
            await bench.close()
            throw error
          }
        } catch {
          lock.release()
          throw error
        }
      } catch {
        return notStarted(plan, because: error, eventLog: eventLog)
      }
      defer { lock.release() }
      progress.begin(suite: suite, tests: tests, rig: rig, benchKind: kind, reportDirectory: reportDirectory)
      return await run(plan, on: bench, eventLog: eventLog)
    } catch let error as ConfigError where runsSkipped == nil {
      return UnloadableRun.report(
        error, suiteFile: suiteFile, only: only, tags: tags, rigFiles: [options.rigURL], reports: options.reports)
    } catch {
      return Failure.exit(error)
    }
  }

  /// The suite, the rig and the tests to run; every problem of the files at once.
  private func load() throws -> (Suite, RigConfiguration, SelectionOptions.Choice) {
    var issues: [ConfigIssue] = []
    var loadedSuite: Suite?
    var loadedRig: RigConfiguration?
    do { loadedSuite = try SuiteLoader.load(suiteFile) } catch { issues += error.issues }
    do { loadedRig = try RigLoader.load(options.rigURL) } catch { issues += error.issues }
    if options.rig.count > 1 {
      throw RigError(.usage, "rig test runs on one rig; give one --rig (rig run takes several)")
    }
    if let check = loadedRig?.health {
      do { _ = try SuiteLoader.load(check.suite) } catch { issues += error.issues }
    }
    guard let suite = loadedSuite, let loadedRig, issues.isEmpty else { throw ConfigError(issues) }
    let rig = try selection.map { $0.scaled(try options.seeded(loadedRig)) } ?? options.seeded(loadedRig)
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
    var choice = try selection?.choose(from: tests, of: suite) ?? SelectionOptions.Choice(tests: tests)
    // A test quarantined on this rig only is skipped here, as a pool would keep it off the rig.
    for index in choice.tests.indices {
      if let why = choice.tests[index].quarantinedOn[rig.name], choice.tests[index].skipReason == nil {
        choice.tests[index].skipReason = why
      }
    }
    return (suite, rig, choice)
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
    } catch {
      Terminal.error("error: \(error)")
    }
    return code
  }

  /// The run itself, under the signal trap, and its reports.
  private func run(_ plan: RunPlan, on bench: Bench, eventLog: EventLogWriter) async -> ExitCode {
    let trap = SignalTrap()
    let progress = self.progress
    let observer = frameObserver
    let reportDirectory = plan.reportDirectory
    // The reports are written inside the trap too: a signal then cannot cut them short.
    let run = await trap.run { () -> RunResult in
      let runner = SuiteRunner(
        plan: plan, bench: bench,
        events: { event in
          do { try eventLog.append(event) } catch { progress.eventLogFailed(error) }
          progress.event(event)
        },
        frames: observer, interruptionReason: { trap.reason })
      let run = await runner.run()
      eventLog.close()
      // Released outside the cancelled task, as the power-off was: cleanup is not to be cut short.
      await Task.detached { await bench.close() }.value
      do {
        try ReportWriter.write(run, to: reportDirectory, attachmentRoot: reportDirectory.displayPath)
      } catch {
        Terminal.error("error: \(error)")
      }
      return run
    }
    Terminal.out(ConsoleSummary.render(run, color: Terminal.supportsColor))
    Terminal.out("reports: \(reportDirectory.displayPath)/ (junit.xml, results.json, events.ndjson)")
    return ExitCode(ExitStatus(run: run).rawValue)
  }
}

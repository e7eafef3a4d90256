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

  /// Runs and returns the exit code for the run's worst verdict.
  func execute() async -> ExitCode {
    do {
      let suite: Suite
      let rig: RigConfiguration
      do {
        var issues: [ConfigIssue] = []
        var loadedSuite: Suite?
        var loadedRig: RigConfiguration?
        do { loadedSuite = try SuiteLoader.load(suiteFile) } catch { issues += error.issues }
        do { loadedRig = try RigLoader.load(options.rigURL) } catch { issues += error.issues }
        guard let loadedSuite, let loadedRig, issues.isEmpty else { throw ConfigError(issues) }
        suite = loadedSuite
        rig = loadedRig
      }
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
      // A suite naming an image runs on that image or not at all, unless the user says so.
      if !options.noFlash, let issue = FlasherRequirement.issue(suite: suite, rig: rig) {
        throw ConfigError([issue])
      }

      let lock = try RigLock.acquire(rig: rig, purpose: "rig run \(suiteFile.displayPath)")
      defer { lock.release() }
      let (bench, kind) = try await BenchFactory.open(rig, verbose: verbose)

      let runID = RunID.make(
        date: Date(), suite: suite.name, avoiding: URL(fileURLWithPath: options.reports))
      let reportDirectory = URL(fileURLWithPath: options.reports).appendingPathComponent(runID)
      try FileManager.default.createDirectory(at: reportDirectory, withIntermediateDirectories: true)
      let eventLog = try EventLogWriter(url: reportDirectory.appendingPathComponent("events.ndjson"))

      progress.begin(suite: suite, tests: tests, rig: rig, benchKind: kind, reportDirectory: reportDirectory)
      var planned = RunPlan(
        suite: suite, tests: tests, rig: rig, runID: runID, reportDirectory: reportDirectory,
        toolVersion: "rig \(Rig.version)")
      planned.forceFlash = forceFlash
      planned.noFlash = options.noFlash
      let plan = planned

      let trap = SignalTrap()
      let progress = self.progress
      let observer = frameObserver
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
    } catch {
      return Failure.exit(error)
    }
  }
}

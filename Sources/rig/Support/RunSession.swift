// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
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
  var progress: ProgressPrinter

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
        rig = try options.seeded(loadedRig)
      }
      let tests = try TestSelection.select(suite.tests, only: only, tags: tags)

      let lock = try RigLock.acquire(rig: rig.name, purpose: "rig run \(suiteFile.displayPath)")
      defer { lock.release() }
      let runID = RunID.make(
        date: Date(), suite: suite.name, avoiding: URL(fileURLWithPath: options.reports))
      let reportDirectory = URL(fileURLWithPath: options.reports).appendingPathComponent(runID)
      // Before anything touches the bench: a run that cannot keep its evidence does not start.
      let folder = try RunFolder.create(reportDirectory)
      let (bench, kind) = try await BenchFactory.open(rig)
      let eventLog = try EventLogWriter(sink: folder)

      progress.begin(suite: suite, tests: tests, rig: rig, benchKind: kind, reportDirectory: reportDirectory)
      var planned = RunPlan(
        suite: suite, tests: tests, rig: rig, runID: runID, reportDirectory: reportDirectory,
        toolVersion: "rig \(Rig.version)")
      planned.forceFlash = forceFlash
      let plan = planned

      let trap = SignalTrap()
      let progress = self.progress
      let observer = frameObserver
      let run = await trap.run { () -> RunResult in
        let runner = SuiteRunner(
          plan: plan, bench: bench, artifacts: folder,
          events: { event in
            do { try eventLog.append(event) } catch { progress.eventLogFailed(error) }
            progress.event(event)
          },
          frames: observer, interruptionReason: { trap.reason })
        return await runner.run()
      }
      await bench.close()

      let noted = folder.failures.count
      let written = try ReportWriter.write(run, to: folder, attachmentRoot: reportDirectory.displayPath)
      let complete = Evidence.account(folder.failures, noting: noted, events: eventLog)
      eventLog.close()
      let status = ExitStatus(run: run).evidence(complete: complete)
      Terminal.out(ConsoleSummary.render(run, color: Terminal.supportsColor, exit: status))
      if let line = Evidence.reportsLine(folder, written: written, events: true) { Terminal.out(line) }
      return ExitCode(status.rawValue)
    } catch {
      return Failure.exit(error)
    }
  }
}

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
      let (bench, kind) = try await BenchFactory.open(rig)

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
      let plan = planned

      let trap = SignalTrap()
      let progress = self.progress
      let observer = frameObserver
      let run = await trap.run { () -> RunResult in
        let runner = SuiteRunner(
          plan: plan, bench: bench,
          events: { event in
            do { try eventLog.append(event) } catch { progress.eventLogFailed(error) }
            progress.event(event)
          },
          frames: observer, interruptionReason: { trap.reason })
        return await runner.run()
      }
      eventLog.close()
      await bench.close()

      let attachmentRoot = reportDirectory.displayPath
      do {
        try ReportWriter.write(run, to: reportDirectory, attachmentRoot: attachmentRoot)
      } catch {
        Terminal.error("error: \(error)")
      }
      Terminal.out(ConsoleSummary.render(run, color: Terminal.supportsColor))
      Terminal.out("reports: \(reportDirectory.displayPath)/ (junit.xml, results.json, events.ndjson)")
      Terminal.out("report: \(reportDirectory.displayPath)/report.html")
      return ExitCode(ExitStatus(run: run).rawValue)
    } catch {
      return Failure.exit(error)
    }
  }
}

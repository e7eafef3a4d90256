// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

/// A rig's health check (its golden suite, `health:` in the rig file) run on its open bench: the
/// same runner as any suite, into a folder of its own, so its events, console logs and frames
/// are there to read when a board is quarantined.
///
/// The rig passes when every test of the golden suite passed (skipped ones aside) and at least
/// one did. A failure quarantines the rig (`QuarantineStore`).
struct HealthCheckRun {
  var rig: RigConfiguration
  var suite: Suite
  /// Where its `events.ndjson`, `summary.txt` and artifacts go: a folder of the run's.
  var sink: any ArtifactSink
  var runID: String
  /// The run's `--no-flash`; a rig without a flasher checks the image its board holds.
  var noFlash: Bool

  struct Outcome {
    var passed: Bool
    /// One line: what passed, or what failed and why.
    var summary: String
    var result: RunResult
  }

  /// Runs the golden suite. Cancellation ends it like any run (its tests interrupted).
  func run(on bench: Bench) async -> Outcome {
    let log = try? EventLogWriter(sink: sink)
    var plan = RunPlan(
      suite: suite, tests: suite.tests, rig: rig, runID: runID,
      reportDirectory: URL(fileURLWithPath: sink.location), toolVersion: "rig \(Rig.version)", files: LocalFileAccess())
    plan.noFlash = noFlash || bench.flasher == nil
    let runner = SuiteRunner(plan: plan, bench: bench, artifacts: sink, events: { event in try? log?.append(event) })
    let result = await runner.run()
    log?.close()
    try? sink.replace("summary.txt", with: Array(ConsoleSummary.render(result, color: false).utf8))
    return Self.judge(result, suite: suite, location: sink.location)
  }

  /// Whether `result` says the rig is healthy, with the words for it.
  static func judge(_ result: RunResult, suite: Suite, location: String) -> Outcome {
    let ran = result.tests.filter { $0.verdict != .skipped }
    let bad = ran.filter { $0.verdict != .passed }
    let source = "\(suite.file.displayPath), details in \(location)/"
    if ran.isEmpty {
      return Outcome(
        passed: false, summary: "its health check ran no test (\(source))", result: result)
    }
    guard bad.isEmpty else {
      let first = bad[0]
      let more = bad.count > 1 ? " and \(bad.count - 1) more" : ""
      return Outcome(
        passed: false,
        summary: "failed its health check: \(first.name) \(first.verdict.rawValue)"
          + (first.message.map { " (\($0))" } ?? "") + "\(more) (\(source))",
        result: result)
    }
    return Outcome(
      passed: true,
      summary: "passed its health check: \(ran.count) test\(ran.count == 1 ? "" : "s") passed (\(source))",
      result: result)
  }
}

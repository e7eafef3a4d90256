// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The events of a run that ended before its first test could start (the suite unreadable, the
/// bench unavailable or locked, every rig of a pool out): every planned test errored with the
/// reason, or skipped as the suite says, so CI still finds a junit.xml naming each test.
public enum NotStartedRun {
  /// `start`, a note with the reason, one `test_finished` per planned test, `run_finished` with
  /// the failure. `skipped` maps the names of tests the suite skips to their reason.
  public static func events(
    _ start: RunStart, because failure: StartFailure, errorType: String, skipped: [String: String] = [:]
  ) -> [RunEvent] {
    var events: [RunEvent] = [.runStarted(start), .note(Note(level: .error, message: failure.reason))]
    for test in start.plannedTests {
      let skip = skipped[test.name]
      events.append(.testFinished(TestResult(
        name: test.name, classname: test.classname, verdict: skip == nil ? .errored : .skipped,
        message: skip ?? "not run: \(firstLine(failure.reason))",
        errorType: skip == nil ? errorType : nil,
        details: skip == nil ? failure.reason : nil, rig: test.rig)))
    }
    events.append(.runFinished(RunFinish(interruption: nil, exitStatus: failure.exitStatus, startFailure: failure)))
    return events
  }

  /// The events, each stamped now and handed to `emit`, and the result they rebuild to.
  public static func record(
    _ start: RunStart, because failure: StartFailure, errorType: String, skipped: [String: String] = [:],
    events emit: (TimedEvent) -> Void
  ) -> RunResult {
    let timed = events(start, because: failure, errorType: errorType, skipped: skipped).map { TimedEvent($0) }
    timed.forEach(emit)
    return (try? RunResultBuilder.build(timed))
      ?? RunResult(
        runID: start.runID, suite: start.suite, rig: start.rig, startedAt: start.startedAt, duration: 0,
        properties: start.properties, tests: [], startFailure: failure)
  }
}

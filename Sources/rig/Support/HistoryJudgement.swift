// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigHistory

/// After a run, before its reports, what history adds to the verdicts: the tests with relative
/// limits are compared with their baseline and judged by `BaselineVerdict`, and tests whose
/// verdict flipped with the same firmware and clip are marked flaky (`FlakyMarking`). Changed
/// results are appended to the event log as `test_finished` again, so `rig report` rebuilds the
/// same verdicts.
enum HistoryJudgement {
  struct Outcome {
    var run: RunResult
    var events: [RunEvent]
  }

  static func apply(_ run: RunResult, folder: URL, store: HistoryStore?, requested: String?) -> Outcome {
    var outcome = judge(run, folder: folder, store: store, requested: requested)
    guard let store, let flaky = try? FlakyMarking.reasons(for: RunRecord(run: outcome.run, folder: folder), in: store)
    else { return outcome }
    for index in outcome.run.tests.indices {
      guard let reason = flaky[outcome.run.tests[index].name] else { continue }
      outcome.run.tests[index].flaky = reason
      outcome.events.append(.testFinished(outcome.run.tests[index]))
    }
    return outcome
  }

  private static func judge(_ run: RunResult, folder: URL, store: HistoryStore?, requested: String?) -> Outcome {
    let judged = run.tests.filter(BaselineVerdict.applies)
    guard !judged.isEmpty else { return Outcome(run: run, events: []) }
    var choice = BaselineChoice(byTest: [:], description: "none", missing: [:])
    var failure: String?
    if let store {
      do {
        choice = try BaselineChoice.resolve(
          in: store, suite: run.suite, rig: run.rig, tests: judged.map { ($0.name, $0.clipHash) },
          requested: requested, excludingRun: run.runID)
      } catch {
        failure = "the baseline could not be read: \(error)"
      }
    } else {
      failure = "history is switched off, so there is no baseline"
    }
    let record = RunRecord(run: run, folder: folder)
    let evidence = Dictionary(record.evidence.map { ($0.test, $0) }, uniquingKeysWith: { a, _ in a })
    var result = run
    var events: [RunEvent] = [.note(Note(level: .info, message: "baseline: \(choice.description)"))]
    for index in result.tests.indices where BaselineVerdict.applies(to: result.tests[index]) {
      let test = result.tests[index]
      let comparison = choice.byTest[test.name].flatMap { baseline in
        evidence[test.name].map { TestComparison($0, against: baseline) }
      }
      let missing = failure ?? choice.missing[test.name] ?? "no per-frame results to compare"
      let updated = BaselineVerdict.apply(to: test, comparison: comparison, missing: missing)
      if updated != test {
        result.tests[index] = updated
        events.append(.testFinished(updated))
      }
    }
    return Outcome(run: result, events: events)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigHistory

/// What a run's report.html shows from history: each test against its baseline (the comparison
/// the verdict used when the test has relative limits, else one made for the page alone, against
/// the same baseline `rig compare` would choose) and its headline metrics over the last nightlies.
enum ReportHistoryLookup {
  /// How many runs a sparkline spans, this one included.
  static let nightlies = 30

  /// Empty when history has nothing for the run or cannot be read: the page is then drawn
  /// without it, and the run's own history step says what went wrong.
  static func lookup(_ run: RunResult, folder: URL, store: HistoryStore, requested: String?) -> ReportHistory {
    let tests = run.tests.filter { $0.verdict != .skipped }
    guard !tests.isEmpty else { return .none }
    do {
      let choice = try BaselineChoice.resolve(
        in: store, suite: run.suite, rig: run.rig, tests: tests.map { ($0.name, $0.clipHash) },
        requested: requested, excludingRun: run.runID)
      let needEvidence = tests.contains { $0.comparison == nil && choice.byTest[$0.name] != nil }
      let evidence =
        needEvidence
        ? Dictionary(RunRecord(run: run, folder: folder).evidence.map { ($0.test, $0) }, uniquingKeysWith: { a, _ in a })
        : [:]
      let series = try store.metricSeries(suite: run.suite, metrics: Set(Rig.HistoryTrends.headline))
        .filter { $0.rig == run.rig }
      var history = ReportHistory()
      for test in tests {
        let comparison =
          test.comparison
          ?? choice.byTest[test.name].flatMap { baseline in
            evidence[test.name].map { TestComparison($0, against: baseline) }
          }
        var trends: [Metric: [Double?]] = [:]
        for s in series where s.test == test.name {
          // This run last, once, whether history recorded it already (rig report) or not yet.
          var values: [Double?] = zip(s.runs, s.values).filter { $0.0 != run.runID }.suffix(nightlies - 1).map(\.1)
          values.append(test.metric(s.metric))
          if values.count >= 2 { trends[s.metric] = values }
        }
        let entry = ReportHistory.Test(comparison: comparison, trends: trends)
        if comparison != nil || !trends.isEmpty { history.tests[test.name] = entry }
      }
      return history
    } catch {
      return .none
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigHistory

/// Reads what `rig history html` shows out of the history store: the latest runs, the headline
/// metrics of every test with their change points (the same search as `rig history trends`), the
/// runs history marked flaky, and where each run's report.html is.
enum HistoryPageBuilder {
  static func build(store: HistoryStore, source: String, suite: String?, latest: Int, page: URL) async throws
    -> HistoryPage
  {
    let runs = try store.runs(.init(suite: suite))
    let series = try store.metricSeries(suite: suite, metrics: Set(Rig.HistoryTrends.headline))
    let trends = await Rig.HistoryTrends.trends(in: series)
    var changes: [String: [HistoryPage.Change]] = [:]
    for trend in trends {
      let key = seriesKey(trend.suite, trend.rig, trend.test, trend.metric)
      guard let s = series.first(where: { seriesKey($0.suite, $0.rig, $0.test, $0.metric) == key }),
        let index = s.runs.firstIndex(of: trend.run)
      else { continue }
      changes[key, default: []].append(
        HistoryPage.Change(index: index, before: trend.before, after: trend.after, confidence: trend.confidence))
    }
    // The flaky marks history made as each run was recorded (FlakyMarking): one indexed read,
    // where finding them again would read every verdict of every night.
    var flips: [String: [HistoryPage.Flip]] = [:]
    for mark in try store.flakyMarks(suite: suite).reversed() {
      flips["\(mark.suite)\u{0}\(mark.rig)\u{0}\(mark.test)", default: []]
        .append(HistoryPage.Flip(run: mark.runID, reason: mark.reason))
    }
    let shown = series.map { s in
      HistoryPage.Series(
        suite: s.suite, rig: s.rig, test: s.test, metric: s.metric, runs: s.runs, values: s.values,
        changes: changes[seriesKey(s.suite, s.rig, s.test, s.metric)] ?? [],
        flips: flips["\(s.suite)\u{0}\(s.rig)\u{0}\(s.test)"] ?? [])
    }
    return HistoryPage(
      source: source, runCount: runs.count, runs: runs.prefix(latest).map(Self.run), series: shown,
      reports: reportLinks(runs, from: page.deletingLastPathComponent()))
  }

  private static func seriesKey(_ suite: String, _ rig: String, _ test: String, _ metric: Metric) -> String {
    "\(suite)\u{0}\(rig)\u{0}\(test)\u{0}\(metric.rawValue)"
  }

  private static func run(_ stored: StoredRun) -> HistoryPage.Run {
    HistoryPage.Run(
      runID: stored.runID, suite: stored.suite, rig: stored.rig, startedAt: stored.startedAt,
      exitStatus: stored.exitStatus, tests: stored.tests, failed: stored.failed, errored: stored.errored,
      firmware: stored.firmwareVersion, commit: stored.commit)
  }

  /// Each run's report.html, relative to the page's folder, where the folder it was recorded from
  /// still holds one.
  static func reportLinks(_ runs: [StoredRun], from folder: URL) -> [String: String] {
    var links: [String: String] = [:]
    for run in runs {
      let report = URL(fileURLWithPath: run.source).appendingPathComponent("report.html")
      guard FileManager.default.fileExists(atPath: report.path) else { continue }
      links[run.runID] = relativePath(from: folder, to: report)
    }
    return links
  }

  /// `../Reports/<run>/report.html`: the way from one folder to a file, both made absolute.
  static func relativePath(from folder: URL, to file: URL) -> String {
    let from = folder.standardizedFileURL.resolvingSymlinksInPath().pathComponents
    let to = file.standardizedFileURL.resolvingSymlinksInPath().pathComponents
    var common = 0
    while common < min(from.count, to.count), from[common] == to[common] { common += 1 }
    let up = Array(repeating: "..", count: from.count - common)
    return (up + to[common...]).joined(separator: "/")
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Renders `rig history html`'s page: what changed across the nightlies first (change points,
/// flaky tests), then the latest runs linked to their reports, then each test's headline metrics
/// as trends with their changes and flips marked. One self-contained file, like `report.html`.
public enum HistoryPageRenderer {
  public static func render(_ page: HistoryPage) -> String {
    let tests = testKeys(page)
    let anchors = Dictionary(
      tests.enumerated().map { ($0.element, HTMLText.anchor($0.element.test, index: $0.offset + 1)) },
      uniquingKeysWith: { a, _ in a })
    var body = "<header><div class=\"controls\"></div><h1>rig history</h1><p class=\"muted\">"
      + "\(HTMLText.isolated(page.source)): \(page.runCount) runs recorded; \(page.series.count) metric series "
      + "of \(tests.count) tests on their rigs.</p></header><main>"
    body += changes(page, anchors: anchors)
    body += flaky(page, anchors: anchors)
    body += runs(page)
    for key in tests {
      let series = page.series.filter { TestKey($0) == key }
      body += HistoryTrendSection(key: key, anchor: anchors[key] ?? "", series: series, reports: page.reports).render()
    }
    body += "</main><footer class=\"muted\"><p>Written by <code>rig history html</code> from the history "
      + "database; change points by E-divisive search (docs/history.md).</p></footer>"
    return HTMLPage.document(title: "rig history: \(page.source)", body: body)
  }

  /// A test on a rig: its trends share a section.
  struct TestKey: Hashable {
    var suite: String
    var rig: String
    var test: String
    init(_ s: HistoryPage.Series) {
      suite = s.suite
      rig = s.rig
      test = s.test
    }
  }

  private static func testKeys(_ page: HistoryPage) -> [TestKey] {
    var seen = Set<TestKey>()
    return page.series.map(TestKey.init).filter { seen.insert($0).inserted }
  }

  /// A run id, linked to its report when the page knows where it is.
  static func runLink(_ run: String, _ reports: [String: String]) -> String {
    guard let report = reports[run] else { return HTMLText.isolated(run) }
    return "<a href=\"\(HTMLText.path(report))\">\(HTMLText.isolated(run))</a>"
  }

  /// Every change point, the largest first: where a metric's level moved and from which run.
  private static func changes(_ page: HistoryPage, anchors: [TestKey: String]) -> String {
    var found: [(HistoryPage.Series, HistoryPage.Change)] = []
    for s in page.series {
      for change in s.changes { found.append((s, change)) }
    }
    var out = "<section id=\"changes\" aria-labelledby=\"changes-h\"><h2 id=\"changes-h\">Changes</h2>"
    guard !found.isEmpty else {
      return out + "<p class=\"ok\">No metric changed level in \(page.series.count) series.</p></section>"
    }
    found.sort { abs(relative($0.1) ?? 0) > abs(relative($1.1) ?? 0) }
    out += "<div class=\"tablewrap\"><table class=\"changes\"><thead><tr><th>test</th><th>metric</th><th>rig</th>"
      + "<th>from run</th><th class=\"n\">before</th><th class=\"n\">after</th><th class=\"n\">change</th>"
      + "<th class=\"n\">confidence</th></tr></thead><tbody>"
    for (s, change) in found {
      let run = s.runs.indices.contains(change.index) ? s.runs[change.index] : "?"
      out += "<tr><td><a href=\"#\(anchors[TestKey(s)] ?? "")\">\(HTMLText.isolated(s.test))</a></td>"
        + "<td><code>\(s.metric.rawValue)</code></td><td>\(HTMLText.isolated("\(s.suite)@\(s.rig)"))</td>"
        + "<td>\(runLink(run, page.reports))</td><td class=\"n num\">\(MetricFormat.number(change.before))</td>"
        + "<td class=\"n num\">\(MetricFormat.number(change.after))</td>"
        + "<td class=\"n num\">\(BaselineSection.change(from: change.before, to: change.after))</td>"
        + "<td class=\"n num\">\(ConsoleSummary.fixed(change.confidence * 100, 1)) %</td></tr>"
    }
    return out + "</tbody></table></div></section>"
  }

  static func relative(_ change: HistoryPage.Change) -> Double? {
    change.before == 0 ? nil : (change.after - change.before) / abs(change.before)
  }

  /// Tests with flaky runs, each run with why.
  private static func flaky(_ page: HistoryPage, anchors: [TestKey: String]) -> String {
    var byTest: [(TestKey, [HistoryPage.Flip])] = []
    var seen = Set<TestKey>()
    for s in page.series where !s.flips.isEmpty && seen.insert(TestKey(s)).inserted {
      byTest.append((TestKey(s), s.flips))
    }
    guard !byTest.isEmpty else { return "" }
    var out = "<section id=\"flaky\" aria-labelledby=\"flaky-h\"><h2 id=\"flaky-h\">Flaky tests</h2><ul>"
    for (key, flips) in byTest {
      let runs = flips.map { "\(runLink($0.run, page.reports)) (\(HTMLText.escape($0.reason)))" }
      out += "<li><span class=\"v flaky\">~ flaky</span> <a href=\"#\(anchors[key] ?? "")\">"
        + "\(HTMLText.isolated(key.test))</a> on \(HTMLText.isolated("\(key.suite)@\(key.rig)")): "
        + runs.joined(separator: "; ") + "</li>"
    }
    return out + "</ul></section>"
  }

  /// The latest runs, newest first, each linked to its report.
  private static func runs(_ page: HistoryPage) -> String {
    guard !page.runs.isEmpty else { return "<p>No runs recorded.</p>" }
    let headers = ["started", "run", "suite", "rig", "firmware", "commit", "tests", "failed", "errored", "exit"]
    var out = "<section id=\"runs\" aria-labelledby=\"runs-h\"><h2 id=\"runs-h\">Latest runs</h2>"
      + "<div class=\"tablewrap\"><table class=\"overview\"><thead><tr>"
    for (i, header) in headers.enumerated() {
      out += "<th data-sort=\"\(i)\"" + (i >= 6 ? " class=\"n\"" : "") + ">\(header)</th>"
    }
    out += "</tr></thead><tbody>"
    for run in page.runs {
      let bad = run.failed + run.errored > 0
      out += "<tr><td class=\"num\">\(UTCTimestamp.iso8601(run.startedAt).prefix(16))</td>"
        + "<td>\(runLink(run.runID, page.reports))</td><td>\(HTMLText.isolated(run.suite))</td>"
        + "<td>\(HTMLText.isolated(run.rig))</td><td>\(HTMLText.isolated(run.firmware ?? "-"))</td>"
        + "<td class=\"num\">\(HTMLText.escape(String((run.commit ?? "-").prefix(12))))</td>"
        + "<td class=\"n\">\(run.tests)</td><td class=\"n\">\(run.failed)</td><td class=\"n\">\(run.errored)</td>"
        + "<td class=\"n\">" + (bad ? "<span class=\"bad\">\(run.exitStatus)</span>" : "\(run.exitStatus)") + "</td></tr>"
    }
    return out + "</tbody></table></div><p class=\"muted\">The latest \(page.runs.count) of \(page.runCount) runs.</p></section>"
  }
}

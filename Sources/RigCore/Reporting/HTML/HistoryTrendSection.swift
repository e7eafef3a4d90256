// SPDX-License-Identifier: Apache-2.0

/// One test's part of the history page: a row per headline metric with its trend as a sparkline
/// (change points ◇, flaky runs ×, the newest run circled), and a full chart of every series that
/// changed level or flipped, its changes called out and its flaky runs marked under the axis.
struct HistoryTrendSection {
  let key: HistoryPageRenderer.TestKey
  let anchor: String
  let series: [HistoryPage.Series]
  let reports: [String: String]

  func render() -> String {
    var out = "<section class=\"test\" id=\"\(anchor)\" aria-labelledby=\"\(anchor)-h\"><h2 id=\"\(anchor)-h\">"
      + "\(HTMLText.isolated(key.test)) <span class=\"muted\">on \(HTMLText.isolated("\(key.suite)@\(key.rig)"))</span></h2>"
    out += "<div class=\"tablewrap\"><table class=\"trends\"><thead><tr><th>metric</th><th class=\"n\">runs</th>"
      + "<th class=\"n\">latest</th><th>trend</th><th>changes</th></tr></thead><tbody>"
    for s in series {
      out += "<tr><td><code>\(s.metric.rawValue)</code></td><td class=\"n\">\(s.values.count)</td>"
        + "<td class=\"n num\">\(s.values.last.map(MetricFormat.number) ?? "-")</td><td>\(sparkline(s))</td>"
        + "<td>\(changeText(s))</td></tr>"
    }
    out += "</tbody></table></div>"
    for s in series where !s.changes.isEmpty || !s.flips.isEmpty {
      out += "<h3><code>\(s.metric.rawValue)</code> across \(s.values.count) runs</h3>" + chart(s)
    }
    return out + "</section>"
  }

  private func flipIndices(_ s: HistoryPage.Series) -> [Int] {
    let flipped = Set(s.flips.map(\.run))
    return s.runs.indices.filter { flipped.contains(s.runs[$0]) }
  }

  private func sparkline(_ s: HistoryPage.Series) -> String {
    var line = Sparkline(values: s.values.map { $0 })
    line.width = 160
    line.marks = s.changes.map { Sparkline.Mark(index: $0.index, shape: .diamond) }
      + flipIndices(s).map { Sparkline.Mark(index: $0, shape: .cross) }
    return line.render(label: "\(s.metric.rawValue) of \(s.test) over \(s.values.count) runs")
  }

  private func changeText(_ s: HistoryPage.Series) -> String {
    var parts = s.changes.map { change -> String in
      let run = s.runs.indices.contains(change.index) ? s.runs[change.index] : "?"
      return "\u{25C7} from \(HistoryPageRenderer.runLink(run, reports)): "
        + "\(BaselineSection.change(from: change.before, to: change.after))"
    }
    if !s.flips.isEmpty { parts.append("\u{00D7} flaky in \(s.flips.count) run\(s.flips.count == 1 ? "" : "s")") }
    return parts.isEmpty ? "<span class=\"muted\">none</span>" : parts.joined(separator: "<br/>")
  }

  /// The whole series, a run per step, with the changes called out and the flaky runs marked.
  private func chart(_ s: HistoryPage.Series) -> String {
    var chart = LineChart(frameCount: s.values.count, yTitle: "\(s.metric.rawValue), \(s.metric.unit)")
    chart.xTitle = "run (oldest first)"
    chart.includeZero = false
    chart.plotHeight = 110
    chart.series = [
      .init(name: s.metric.rawValue, buckets: SeriesDownsampler.buckets(count: s.values.count) { s.values[$0] })
    ]
    chart.callouts = s.changes.map { change in
      let share = HistoryPageRenderer.relative(change).map {
        " (\($0 >= 0 ? "+" : "")\(ConsoleSummary.fixed($0 * 100, 1)) %)"
      } ?? ""
      return LineChart.Callout(
        frame: change.index,
        label: "change: \(MetricFormat.number(change.before)) \u{2192} \(MetricFormat.number(change.after))\(share)")
    }
    var flips = FrameRanges()
    for index in flipIndices(s) { flips.add(index) }
    if flips.frames > 0 {
      chart.rows = [
        .init(label: "flaky", shape: .cross, ranges: flips.ranges, note: "flaky in \(flips.frames) runs")
      ]
    }
    return chart.render(label: "\(s.metric.rawValue) of \(s.test) across \(s.values.count) runs")
  }
}

// SPDX-License-Identifier: Apache-2.0

/// A test's part of the page that reads history: its judgement against the baseline aspect by
/// aspect, every metric's change against the baseline's value with a sparkline over the last
/// nightlies, and the frames whose count changed.
struct BaselineSection {
  let test: TestResult
  let history: ReportHistory.Test

  /// The most changed frames listed; the rest are counted and are in results.json.
  static let changedFramesListed = 40

  func render() -> String {
    guard !history.isEmpty else { return "" }
    var out = "<h3>Against the baseline</h3>"
    if let comparison = history.comparison {
      let runs = comparison.baselineRuns.map(HTMLText.isolated).joined(separator: ", ")
      out += "<p>\(Self.label(comparison.verdict)) against "
        + (comparison.baselineRuns.count == 1 ? "run " : "runs ") + (runs.isEmpty ? "none" : runs) + ".</p>"
      out += judgements(comparison)
    } else {
      out += "<p class=\"muted\">No baseline to compare with yet; the last nightlies:</p>"
    }
    out += deltas()
    if let comparison = history.comparison { out += changedFrames(comparison) }
    return out
  }

  /// A verdict as a symbol and a word.
  static func label(_ verdict: EvidenceJudgement.Verdict) -> String {
    switch verdict {
    case .regression: "<span class=\"v failed\">\u{2717} regression</span>"
    case .improvement: "<span class=\"v passed\">+ improvement</span>"
    case .inconclusive: "<span class=\"v skipped\">? inconclusive</span>"
    case .unchanged: "<span class=\"v passed\">= unchanged</span>"
    }
  }

  private func judgements(_ comparison: TestComparison) -> String {
    guard !comparison.judgements.isEmpty else { return "" }
    var out = "<div class=\"tablewrap\"><table class=\"judgements\"><thead><tr><th>aspect</th><th>verdict</th>"
      + "<th class=\"n\">baseline</th><th class=\"n\">now</th><th>why</th></tr></thead><tbody>"
    for j in comparison.judgements {
      out += "<tr><td><code>\(j.aspect.rawValue)</code></td><td>\(Self.label(j.verdict))</td>"
        + "<td class=\"n num\">\(j.baseline.map(MetricFormat.number) ?? "-")</td>"
        + "<td class=\"n num\">\(j.current.map(MetricFormat.number) ?? "-")</td>"
        + "<td>\(HTMLText.escape(j.reason))</td></tr>"
    }
    return out + "</tbody></table></div>"
  }

  /// Every metric with a baseline value or a trend: baseline, now, the change, and the nightlies.
  private func deltas() -> String {
    let baseline = history.comparison?.baselineMetrics ?? []
    let current = test.metrics + (history.comparison?.metrics ?? [])
    let metrics = Metric.allCases.filter { m in
      current.contains { $0.metric == m } && (baseline.contains { $0.metric == m } || history.trends[m] != nil)
    }
    guard !metrics.isEmpty else { return "" }
    let runs = history.trends.values.map(\.count).max() ?? 0
    var out = "<div class=\"tablewrap\"><table class=\"deltas\"><thead><tr><th>metric</th>"
      + "<th class=\"n\">baseline</th><th class=\"n\">now</th><th class=\"n\">change</th>"
      + "<th>last \(runs) runs</th></tr></thead><tbody>"
    for metric in metrics {
      let now = current.first { $0.metric == metric }?.value
      let base = baseline.first { $0.metric == metric }?.value
      out += "<tr><td><code>\(metric.rawValue)</code></td>"
        + "<td class=\"n num\">\(base.map(MetricFormat.number) ?? "-")</td>"
        + "<td class=\"n num\">\(now.map(MetricFormat.number) ?? "-")</td>"
        + "<td class=\"n num\">\(Self.change(from: base, to: now))</td><td>"
      if let values = history.trends[metric], !values.isEmpty {
        out += Sparkline(values: values).render(label: "\(metric.rawValue) over the last \(values.count) runs")
      }
      out += "</td></tr>"
    }
    return out + "</tbody></table></div>"
  }

  /// `+3.5 (+10.1 %)`, `0`, `-`.
  static func change(from base: Double?, to now: Double?) -> String {
    guard let base, let now, base.isFinite, now.isFinite else { return "-" }
    let delta = now - base
    if delta == 0 { return "0" }
    let sign = delta > 0 ? "+" : ""
    let share = base == 0 ? "" : " (\(sign)\(ConsoleSummary.fixed(delta / abs(base) * 100, 1)) %)"
    return sign + MetricFormat.number(delta) + share
  }

  private func changedFrames(_ comparison: TestComparison) -> String {
    let changes = comparison.countChanges
    guard !changes.isEmpty else {
      return comparison.metrics.contains(where: { $0.metric == .framesChanged })
        ? "<p class=\"ok\">No frame's count changed against the baseline.</p>" : ""
    }
    let worse = changes.filter { $0.direction == .worse }.count
    let better = changes.filter { $0.direction == .better }.count
    let groups = Self.groups(changes)
    var out = "<p><strong>\(changes.count) frames changed count</strong> against the baseline "
      + "(\(worse) worse, \(better) better, \(changes.count - worse - better) sideways):</p><ul class=\"changed\">"
    for group in groups.prefix(Self.changedFramesListed) {
      let c = group.change
      let frames = group.frames.count == 1
        ? "frame \(group.frames.lowerBound)" : "frames \(group.frames.lowerBound)\u{2013}\(group.frames.upperBound - 1)"
      out += "<li>\(frames): label \(c.label), baseline \(c.baseline) \u{2192} now \(c.current) (\(c.direction.rawValue))</li>"
    }
    if groups.count > Self.changedFramesListed {
      let shown = groups.prefix(Self.changedFramesListed).reduce(0) { $0 + $1.frames.count }
      out += "<li>and \(changes.count - shown) more frames (every one is in results.json)</li>"
    }
    return out + "</ul>"
  }

  /// Consecutive frames that changed the same way (same label, same counts), as one range.
  static func groups(_ changes: [CountChange]) -> [(frames: Range<Int>, change: CountChange)] {
    var groups: [(frames: Range<Int>, change: CountChange)] = []
    for change in changes.sorted(by: { $0.frame < $1.frame }) {
      if let last = groups.last, last.frames.upperBound == change.frame, last.change.label == change.label,
        last.change.baseline == change.baseline, last.change.current == change.current
      {
        groups[groups.count - 1].frames = last.frames.lowerBound..<(change.frame + 1)
      } else {
        groups.append((change.frame..<(change.frame + 1), change))
      }
    }
    return groups
  }
}

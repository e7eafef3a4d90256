// SPDX-License-Identifier: Apache-2.0

/// The table of a test's limits: each with the measured value, how far it is from breaking
/// (the margin) in words, and a bar showing it.
enum LimitMargins {
  /// The limits to show: those the test recorded, else (older logs) the ones it broke.
  static func limits(of test: TestResult) -> [Limit] {
    var list = test.limits ?? []
    for violation in test.violations where !list.contains(violation.limit) {
      list.append(violation.limit)
    }
    return list
  }

  static func table(_ test: TestResult) -> String {
    let limits = limits(of: test)
    guard !limits.isEmpty else { return "" }
    var out = "<div class=\"tablewrap\"><table class=\"limits\"><thead><tr><th>metric</th><th>limit</th>"
      + "<th class=\"n\">value</th><th>margin</th><th>how close</th></tr></thead><tbody>"
    for limit in limits {
      let value = test.metric(limit.metric)
      let bar = MarginBar(value: value, limit: limit)
      out += "<tr><td><code>\(limit.metric.rawValue)</code></td>"
        + "<td class=\"num\">\(HTMLText.escape(limit.comparison.rawValue)) \(MetricFormat.number(limit.threshold))</td>"
        + "<td class=\"n num\">\(value.map(MetricFormat.number) ?? "not measured")</td>"
        + "<td>\(margin(value, limit))</td>"
        + "<td>\(bar.render(label: "\(limit.metric.rawValue): \(describe(value)) against the limit \(limit)"))</td></tr>"
    }
    return out + "</tbody></table></div>"
  }

  /// `✓ 0.208 to spare (83 %)` or `✗ 0.162 past the limit`, the symbol and class carrying the
  /// verdict in print as on screen.
  static func margin(_ value: Double?, _ limit: Limit) -> String {
    guard let value, value.isFinite else { return "<span class=\"bad\">not measured</span>" }
    let holds = limit.comparison.holds(value, limit.threshold)
    let distance = abs(limit.threshold - value)
    if limit.comparison == .equal {
      return holds ? "<span class=\"ok\">exactly the limit</span>"
        : "<span class=\"bad\">\(MetricFormat.number(distance)) off the required value</span>"
    }
    if distance == 0 { return "<span class=\"ok\">at the limit, none to spare</span>" }
    guard holds else {
      return "<span class=\"bad\">\(MetricFormat.number(distance)) past the limit</span>"
    }
    let share =
      limit.threshold == 0 ? "" : " (\(ConsoleSummary.fixed(distance / abs(limit.threshold) * 100, 0)) %)"
    return "<span class=\"ok\">\(MetricFormat.number(distance)) to spare\(share)</span>"
  }

  private static func describe(_ value: Double?) -> String {
    value.map { "value \(MetricFormat.number($0))" } ?? "not measured"
  }
}

// SPDX-License-Identifier: Apache-2.0
import Yams

/// The limits one `limits:` mapping sets, and the defaults it switches `off`.
struct LimitTable: Equatable {
  var limits: [Metric: Limit] = [:]
  /// Limits relative to the baseline (`"<= baseline * 1.05"`).
  var relative: [Metric: RelativeLimit] = [:]
  var off: Set<Metric> = []

  /// Metric groups users may try to nest (`count: { mae: … }`) instead of writing flat keys.
  private static let groups = Set(
    Metric.allCases.compactMap { $0.rawValue.split(separator: ".").first.map(String.init) })

  /// Reads `{ count.mae: "<= 0.15", latency.p95_ms: off }`, reporting every bad key or value.
  static func read(_ node: Node, at path: String, _ r: ConfigReader) -> LimitTable {
    var table = LimitTable()
    if ConfigReader.isNull(node) { return table }
    guard case .mapping(let mapping) = node else {
      r.report(
        node, path,
        "expected a mapping of metrics to limits such as { count.mae: \"<= 0.15\" }, "
          + "found \(r.describe(node))"
      )
      return table
    }
    let metricNames = Metric.allCases.map(\.rawValue)
    for (key, value) in mapping {
      guard case .scalar(let keyScalar) = key else {
        r.report(key, path, "a key must be a metric name, found \(r.describe(key))")
        continue
      }
      let name = keyScalar.string
      let keyPath = ConfigTable.join(path, TerminalText.excerpt(name))
      guard let metric = Metric(rawValue: name) else {
        var hint = KeySuggestion.hint(for: name, validChoices: metricNames, noun: "metrics")
        if groups.contains(name), case .mapping = value,
          let example = Metric.allCases.first(where: { $0.rawValue.hasPrefix(name + ".") })
        {
          hint = "write flat keys such as \(example.rawValue), not a nested mapping"
        }
        r.report(key, keyPath, "unknown metric '\(TerminalText.excerpt(name))'", hint: hint)
        continue
      }
      guard case .scalar(let scalar) = value, !ConfigReader.isNull(value) else {
        r.report(
          value, keyPath, "expected a limit such as \"<= 0.15\" or off, found \(r.describe(value))")
        continue
      }
      do {
        if let limit = try LimitParser.parseRelative(scalar.string, for: metric) {
          table.relative[metric] = limit
        } else if let limit = try LimitParser.parse(scalar.string, for: metric) {
          table.limits[metric] = limit
        } else {
          table.off.insert(metric)
        }
      } catch {
        r.report(value, keyPath, error.message, hint: error.hint)
      }
    }
    return table
  }

  /// These limits as defaults with `overrides` applied: the override wins per metric and `off`
  /// removes a default. Sorted in `Metric` order.
  func merged(with overrides: LimitTable) -> [Limit] {
    var effective = limits
    for metric in overrides.off { effective[metric] = nil }
    effective.merge(overrides.limits) { _, override in override }
    return effective.values.sorted { $0.metric < $1.metric }
  }

  /// The relative limits of these defaults with `overrides` applied. A relative limit does not
  /// replace an absolute one on the same metric: the absolute one stays, as the bound that
  /// applies while there is no baseline.
  func mergedRelative(with overrides: LimitTable) -> [RelativeLimit] {
    var effective = relative
    for metric in overrides.off { effective[metric] = nil }
    effective.merge(overrides.relative) { _, override in override }
    return effective.values.sorted { $0.metric < $1.metric }
  }
}

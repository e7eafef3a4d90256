// SPDX-License-Identifier: Apache-2.0

/// A limit relative to a baseline, written in a suite as `latency.p95_ms: "<= baseline * 1.05"`,
/// `count.exact_match: ">= baseline - 0.01"` or `ram.peak_kib: "<= baseline + 2"`.
///
/// It becomes an ordinary `Limit` once the baseline's value of the metric is known; with no
/// baseline (or a baseline that never measured the metric) it cannot, and the test falls back to
/// its absolute limits.
public struct RelativeLimit: Sendable, Codable, Equatable, CustomStringConvertible {
  /// How the threshold follows from the baseline's value.
  public enum Adjustment: Sendable, Codable, Equatable {
    /// `baseline * factor`
    case factor(Double)
    /// `baseline + offset` (`baseline - 0.01` is an offset of -0.01; `baseline` alone is 0).
    case offset(Double)
  }

  public var metric: Metric
  public var comparison: Limit.Comparison
  public var adjustment: Adjustment

  public init(_ metric: Metric, _ comparison: Limit.Comparison, _ adjustment: Adjustment) {
    self.metric = metric
    self.comparison = comparison
    self.adjustment = adjustment
  }

  /// The threshold for a baseline value of the metric.
  public func threshold(baseline: Double) -> Double {
    switch adjustment {
    case .factor(let factor): baseline * factor
    case .offset(let offset): baseline + offset
    }
  }

  /// The absolute limit this becomes against a baseline's metrics; nil when the baseline has no
  /// value for the metric.
  public func resolved(against baseline: [MetricValue]) -> Limit? {
    guard let value = baseline.first(where: { $0.metric == metric })?.value, value.isFinite else {
      return nil
    }
    return Limit(metric, comparison, threshold(baseline: value))
  }

  /// `latency.p95_ms <= baseline * 1.05`
  public var description: String {
    "\(metric.rawValue) \(comparison.rawValue) \(expression)"
  }

  /// The right-hand side as written in a suite: `baseline * 1.05`, `baseline - 0.01`, `baseline`.
  public var expression: String {
    switch adjustment {
    case .factor(let factor): "baseline * \(MetricFormat.number(factor))"
    case .offset(let offset) where offset == 0: "baseline"
    case .offset(let offset) where offset < 0: "baseline - \(MetricFormat.number(-offset))"
    case .offset(let offset): "baseline + \(MetricFormat.number(offset))"
    }
  }
}

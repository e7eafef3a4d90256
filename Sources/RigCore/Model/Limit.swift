// SPDX-License-Identifier: Apache-2.0

/// A bound on one metric, written in a suite as `count.mae: "<= 0.15"`.
public struct Limit: Sendable, Codable, Equatable, CustomStringConvertible {
  public enum Comparison: String, Sendable, Codable, CaseIterable {
    case atLeast = ">="
    case atMost = "<="
    case greaterThan = ">"
    case lessThan = "<"
    case equal = "=="

    public func holds(_ actual: Double, _ threshold: Double) -> Bool {
      switch self {
      case .atLeast: actual >= threshold
      case .atMost: actual <= threshold
      case .greaterThan: actual > threshold
      case .lessThan: actual < threshold
      case .equal: actual == threshold
      }
    }
  }

  public var metric: Metric
  public var comparison: Comparison
  public var threshold: Double

  public init(_ metric: Metric, _ comparison: Comparison, _ threshold: Double) {
    self.metric = metric
    self.comparison = comparison
    self.threshold = threshold
  }

  /// `count.mae <= 0.15`
  public var description: String {
    "\(metric.rawValue) \(comparison.rawValue) \(MetricFormat.number(threshold))"
  }
}

/// A limit the DUT did not meet.
public struct LimitViolation: Sendable, Codable, Equatable, CustomStringConvertible {
  public var limit: Limit
  /// The measured value, or nil when the metric could not be measured (no frames scored).
  public var actual: Double?

  public init(limit: Limit, actual: Double?) {
    self.limit = limit
    self.actual = actual
  }

  /// `count.mae = 0.412 (limit <= 0.15)`
  public var description: String {
    let measured = actual.map { MetricFormat.number($0) } ?? "not measured"
    return "\(limit.metric.rawValue) = \(measured) (limit \(limit.comparison.rawValue) \(MetricFormat.number(limit.threshold)))"
  }
}

/// How numbers appear in messages and reports: short, stable, no exponent.
public enum MetricFormat {
  public static func number(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
    var s = String(format3(value))
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
  }

  /// Fixed three decimals without Foundation's locale-dependent formatting.
  public static func format3(_ value: Double) -> String {
    let negative = value < 0
    let scaled = (abs(value) * 1000).rounded()
    let whole = Int64(scaled / 1000)
    let frac = Int64(scaled) - whole * 1000
    var f = String(frac)
    while f.count < 3 { f = "0" + f }
    return (negative && scaled != 0 ? "-" : "") + "\(whole).\(f)"
  }
}

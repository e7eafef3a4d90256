// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads a limit as written in a suite: `"<= 0.15"`, `">= 0.90"`, `"== 0"`, or `off`.
public enum LimitParser {
  /// Why a limit could not be read, with what to write instead.
  public struct Problem: Error, Sendable, Equatable {
    public var message: String
    public var hint: String?
  }

  /// The limit `text` sets on `metric`, or nil for `off` (which removes a default limit).
  public static func parse(_ text: String, for metric: Metric) throws(Problem) -> Limit? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed == "off" { return nil }
    if let number = Double(trimmed), number.isFinite {
      throw Problem(
        message: "a limit needs a comparison, found the bare number \(trimmed)",
        hint: "write \"<= \(trimmed)\" or \">= \(trimmed)\"")
    }
    // Longest operators first, so `<=` is never read as `<` followed by `=`.
    let operators: [Limit.Comparison] = [.atLeast, .atMost, .equal, .greaterThan, .lessThan]
    guard let comparison = operators.first(where: { trimmed.hasPrefix($0.rawValue) }) else {
      throw Problem(
        message: "expected a limit such as \"<= 0.15\", found '\(TerminalText.excerpt(text))'",
        hint: unicodeHint(trimmed)
          ?? "start with one of >= <= > < == and then a number, or write off")
    }
    let rest = trimmed.dropFirst(comparison.rawValue.count).trimmingCharacters(in: .whitespaces)
    guard let threshold = Double(rest), threshold.isFinite, !rest.hasPrefix("=") else {
      let hint =
        rest.hasPrefix("=")
        ? "the operators are >= <= > < ==" : "put a number after \(comparison.rawValue)"
      throw Problem(
        message:
          "expected a number after '\(comparison.rawValue)' in '\(TerminalText.excerpt(text))'",
        hint: hint)
    }
    try checkRange(threshold, for: metric)
    return Limit(metric, comparison, threshold)
  }

  /// The limit `text` sets relative to the baseline — `"<= baseline * 1.05"`,
  /// `">= baseline - 0.01"`, `"<= baseline + 2"`, `"<= baseline"` — or nil when `text` does not
  /// mention the baseline (then it is an absolute limit, for `parse`).
  public static func parseRelative(_ text: String, for metric: Metric) throws(Problem) -> RelativeLimit? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard trimmed.contains("baseline") else { return nil }
    let operators: [Limit.Comparison] = [.atLeast, .atMost, .equal, .greaterThan, .lessThan]
    guard let comparison = operators.first(where: { trimmed.hasPrefix($0.rawValue) }) else {
      throw Problem(
        message: "expected a limit such as \"<= baseline * 1.05\", found '\(text)'",
        hint: "start with one of >= <= > < == and then baseline")
    }
    if metric.needsBaseline {
      throw Problem(
        message: "\(metric.rawValue) is already counted against the baseline",
        hint: "write a plain limit such as \"== 0\" or \"<= 3\"")
    }
    var rest = Substring(trimmed.dropFirst(comparison.rawValue.count)).drop { $0 == " " }
    guard rest.hasPrefix("baseline") else {
      throw Problem(
        message: "expected 'baseline' after '\(comparison.rawValue)' in '\(text)'",
        hint: "write the baseline first: \"\(comparison.rawValue) baseline * 1.05\" or \"\(comparison.rawValue) baseline + 2\"")
    }
    rest = rest.dropFirst("baseline".count).drop { $0 == " " }
    if rest.isEmpty { return RelativeLimit(metric, comparison, .offset(0)) }
    let operation = rest.first!
    let number = rest.dropFirst().trimmingCharacters(in: .whitespaces)
    guard "*+-".contains(operation), let value = Double(number), value.isFinite, value >= 0 else {
      throw Problem(
        message: "expected '* factor', '+ amount' or '- amount' after 'baseline' in '\(text)'",
        hint: "for example \"\(comparison.rawValue) baseline * 1.05\" (5 % more) or "
          + "\"\(comparison.rawValue) baseline + 2\" (in \(metric.unit)); numbers are not negative")
    }
    switch operation {
    case "*":
      guard value > 0 else {
        throw Problem(message: "a factor of 0 in '\(text)' makes every value fail", hint: "write a factor such as 1.05")
      }
      return RelativeLimit(metric, comparison, .factor(value))
    case "+": return RelativeLimit(metric, comparison, .offset(value))
    default: return RelativeLimit(metric, comparison, .offset(-value))
    }
  }

  /// Thresholds a metric can never reach are mistakes: ratios live in 0…1, and every metric but
  /// the signed bias is non-negative.
  static func checkRange(_ threshold: Double, for metric: Metric) throws(Problem) {
    switch metric {
    case .countExactMatch, .countWithinOne:
      guard (0...1).contains(threshold) else {
        let hint =
          threshold > 1 && threshold <= 100
          ? "write \(MetricFormat.number(threshold / 100)) for \(MetricFormat.number(threshold)) %"
          : "a ratio is between 0 and 1"
        throw Problem(
          message:
            "\(metric.rawValue) is a ratio from 0 to 1, found \(MetricFormat.number(threshold))",
          hint: hint)
      }
    case .countBias:
      return
    default:
      guard threshold >= 0 else {
        throw Problem(
          message: "\(metric.rawValue) is never negative, found \(MetricFormat.number(threshold))",
          hint: "use a threshold of 0 or more (\(metric.unit))")
      }
    }
  }

  private static func unicodeHint(_ text: String) -> String? {
    if text.hasPrefix("≤") { return "write <= instead of ≤" }
    if text.hasPrefix("≥") { return "write >= instead of ≥" }
    if text.hasPrefix("=") { return "write == for equality" }
    if text.hasPrefix("!=") { return "a limit cannot be 'not equal'; use < or >" }
    return nil
  }
}

extension Metric {
  /// Measured only by comparing a run with a baseline (`frames.changed`), never by the run alone.
  public var needsBaseline: Bool { self == .framesChanged }
}

// SPDX-License-Identifier: Apache-2.0

/// Reads and writes the durations users put in configuration files: `500ms`, `2s`, `1.5s`, `2m`,
/// `1h`, `250us`, and compounds such as `1m30s`.
///
/// A duration is one or more `<number><unit>` parts with units in decreasing order; units are
/// `h`, `m`, `s`, `ms`, `us` (or `µs`) and `ns`. Precision is one nanosecond: finer fractions are
/// dropped. There is no sign, so every duration is zero or more.
public enum DurationParser {
  /// The duration `s` names, or nil when it is not a duration as described above.
  public static func parse(_ s: String) -> Duration? {
    var rest = Substring(s).drop { $0 == " " || $0 == "\t" }
    while let last = rest.last, last == " " || last == "\t" { rest = rest.dropLast() }
    guard !rest.isEmpty else { return nil }

    var totalNanoseconds: Int64 = 0
    var previousUnit = Int64.max
    while !rest.isEmpty {
      let whole = rest.prefix { $0.isASCII && $0.isNumber }
      guard !whole.isEmpty else { return nil }
      rest = rest.dropFirst(whole.count)
      var fraction = Substring("")
      if rest.first == "." {
        rest = rest.dropFirst()
        fraction = rest.prefix { $0.isASCII && $0.isNumber }
        guard !fraction.isEmpty else { return nil }
        rest = rest.dropFirst(fraction.count)
      }
      guard let unit = units.first(where: { rest.hasPrefix($0.symbol) }) else { return nil }
      // Units must shrink from part to part: `1m30s`, never `30s1m` or `1s1s`.
      guard unit.nanoseconds < previousUnit else { return nil }
      previousUnit = unit.nanoseconds
      rest = rest.dropFirst(unit.symbol.count)
      guard let part = nanoseconds(whole: whole, fraction: fraction, unit: unit.nanoseconds)
      else { return nil }
      let (sum, overflow) = totalNanoseconds.addingReportingOverflow(part)
      guard !overflow else { return nil }
      totalNanoseconds = sum
    }
    return .nanoseconds(totalNanoseconds)
  }

  /// The shortest exact spelling of `d` in the largest unit that divides it: `1500ms`, `2m`, `0s`.
  public static func format(_ d: Duration) -> String {
    let (seconds, attoseconds) = d.components
    let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    if nanoseconds == 0 { return "0s" }
    let sign = nanoseconds < 0 ? "-" : ""
    let magnitude = nanoseconds.magnitude
    for unit in [hours, minutes, secondsUnit, milliseconds, microseconds]
    where magnitude % UInt64(unit.nanoseconds) == 0 {
      return "\(sign)\(magnitude / UInt64(unit.nanoseconds))\(unit.symbol)"
    }
    return "\(sign)\(magnitude)ns"
  }

  private struct Unit {
    var symbol: String
    var nanoseconds: Int64
  }

  private static let hours = Unit(symbol: "h", nanoseconds: 3_600_000_000_000)
  private static let minutes = Unit(symbol: "m", nanoseconds: 60_000_000_000)
  private static let secondsUnit = Unit(symbol: "s", nanoseconds: 1_000_000_000)
  private static let milliseconds = Unit(symbol: "ms", nanoseconds: 1_000_000)
  private static let microseconds = Unit(symbol: "us", nanoseconds: 1_000)

  // Two-letter symbols come before the one-letter symbols they start with, so `ms` is never
  // read as `m` followed by garbage.
  private static let units: [Unit] = [
    milliseconds, microseconds, Unit(symbol: "µs", nanoseconds: 1_000),
    Unit(symbol: "μs", nanoseconds: 1_000),
    Unit(symbol: "ns", nanoseconds: 1), hours, minutes, secondsUnit,
  ]

  private static func nanoseconds(whole: Substring, fraction: Substring, unit: Int64) -> Int64? {
    guard let wholeValue = Int64(whole) else { return nil }
    let (scaled, overflow) = wholeValue.multipliedReportingOverflow(by: unit)
    guard !overflow else { return nil }
    var fractionPart: Int64 = 0
    var place = unit
    for digit in fraction {
      place /= 10
      if place == 0 { break }
      fractionPart += Int64(digit.wholeNumberValue ?? 0) * place
    }
    let (sum, sumOverflow) = scaled.addingReportingOverflow(fractionPart)
    return sumOverflow ? nil : sum
  }
}

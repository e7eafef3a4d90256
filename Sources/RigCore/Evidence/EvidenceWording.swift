// SPDX-License-Identifier: Apache-2.0

/// How judgements put numbers and runs into words.
enum EvidenceWording {
  /// `+10.2 %`, `-0.3 %`
  static func percent(_ fraction: Double) -> String {
    let tenths = (fraction * 1000).rounded()
    let sign = tenths > 0 ? "+" : tenths < 0 ? "-" : "±"
    let magnitude = abs(tenths)
    return "\(sign)\(Int(magnitude / 10)).\(Int(magnitude) % 10) %"
  }

  /// `+8 KiB`, `-0.25 ms`
  static func signed(_ value: Double, _ unit: String) -> String {
    (value > 0 ? "+" : "") + MetricFormat.number(value) + " " + unit
  }

  /// `p = 0.0004`, `p < 1e-6`
  static func p(_ value: Double) -> String {
    if value < 1e-6 { return "p < 1e-6" }
    if value >= 0.001 { return "p = " + MetricFormat.number(value) }
    var scaled = value
    var exponent = 0
    while scaled < 1 {
      scaled *= 10
      exponent += 1
    }
    return "p = \(Int(scaled.rounded()))e-\(exponent)"
  }

  /// `run 20260101-…` or `3 runs (a, b, c)`
  static func against(_ runs: [String]) -> String {
    if runs.count == 1 { return "run \(runs[0])" }
    let shown = runs.prefix(3).joined(separator: ", ")
    return "\(runs.count) runs (\(shown)\(runs.count > 3 ? ", …" : ""))"
  }

  /// `3 of 1,000`-style listing of frames: the first `limit`, then how many more.
  static func list(_ items: [String], limit: Int) -> String {
    let shown = items.prefix(limit).joined(separator: ", ")
    return items.count > limit ? "\(shown) and \(items.count - limit) more" : shown
  }
}

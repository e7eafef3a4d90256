// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// One measured figure and the limit it is held to, printed as a ratio of the two.
struct Figure {
  enum Direction {
    /// The value must be at least the limit: ratio = value / limit, ≥ 1 meets it.
    case atLeast
    /// The value must be at most the limit: ratio = value / limit, ≤ 1 meets it.
    case atMost
  }

  var name: String
  var value: Double
  var unit: String
  var limit: Double
  var direction: Direction
  var note: String

  var ratio: Double { value / limit }
  var meetsTarget: Bool { direction == .atLeast ? ratio >= 1 : ratio <= 1 }

  var line: String {
    let sign = direction == .atLeast ? "≥" : "≤"
    return "\(meetsTarget ? "ok  " : "MISS") \(name): \(Self.format(value)) \(unit) — ratio "
      + "\(MetricFormat.format3(ratio)) of limit \(Self.format(limit)) \(unit) (target \(sign) 1)"
  }

  static func format(_ value: Double) -> String {
    value >= 100 ? String(Int(value.rounded())) : MetricFormat.number((value * 1000).rounded() / 1000)
  }
}

/// CPU time the calling thread has used, in seconds.
func threadCPUSeconds() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

/// The median of some values.
func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted[sorted.count / 2]
}

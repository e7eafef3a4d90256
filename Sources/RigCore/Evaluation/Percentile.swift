// SPDX-License-Identifier: Apache-2.0

/// Percentiles by the nearest-rank method: the smallest value with at least p % of the values at
/// or below it. It always returns a value that was measured, never an interpolation.
public enum Percentile {
  /// - Parameter sorted: values in ascending order.
  /// - Parameter p: 0 < p ≤ 100.
  public static func nearestRank(_ sorted: [Double], _ p: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
  }
}

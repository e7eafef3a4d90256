// SPDX-License-Identifier: Apache-2.0

/// The Wilcoxon signed-rank test of paired differences (current − baseline, frame by frame).
///
/// It asks whether the differences are symmetric about zero, assuming the pairs are independent
/// and the differences come from a continuous, symmetric distribution. It uses only the signs and
/// the ranks of the differences, so a few huge latency spikes weigh no more than any other frame.
///
/// Zero differences are dropped (Wilcoxon's own method); tied magnitudes share their average rank.
/// With at most `exactLimit` differences, none tied and none zero, the p-value is exact (all 2ⁿ
/// sign assignments); otherwise it comes from the normal approximation with the tie correction of
/// the variance and a continuity correction of ½.
public enum SignedRankTest {
  public enum Method: String, Sendable, Codable { case exact, normal }

  public struct Result: Sendable, Equatable {
    /// Differences that were not zero (the test's n).
    public var n: Int
    /// Differences that were exactly zero, dropped.
    public var zeros: Int
    /// Sum of the ranks of the positive differences.
    public var positiveRankSum: Double
    /// Sum of the ranks of the negative differences.
    public var negativeRankSum: Double
    /// Two-sided p-value; 1 when nothing differs.
    public var pValue: Double
    public var method: Method
  }

  public static let exactLimit = 25

  public static func test(_ differences: [Double]) -> Result {
    let nonZero = differences.filter { $0 != 0 && !$0.isNaN }
    let zeros = differences.count - nonZero.count
    let n = nonZero.count
    guard n > 0 else {
      return Result(n: 0, zeros: zeros, positiveRankSum: 0, negativeRankSum: 0, pValue: 1, method: .exact)
    }
    // Magnitudes in ascending order, each with its sign.
    var ranked = nonZero.map { (magnitude: abs($0), positive: $0 > 0) }
    ranked.sort { $0.magnitude < $1.magnitude }
    var positive = 0.0
    var tieTerm = 0.0
    var start = 0
    while start < n {
      var end = start + 1
      while end < n && ranked[end].magnitude == ranked[start].magnitude { end += 1 }
      // Ranks start + 1 … end share their average.
      let rank = Double(start + 1 + end) / 2
      for i in start..<end where ranked[i].positive { positive += rank }
      let t = Double(end - start)
      tieTerm += t * t * t - t
      start = end
    }
    let total = Double(n) * Double(n + 1) / 2
    let negative = total - positive
    if n <= exactLimit && tieTerm == 0 && zeros == 0 {
      return Result(
        n: n, zeros: zeros, positiveRankSum: positive, negativeRankSum: negative,
        pValue: exactPValue(n: n, positiveRankSum: Int(positive)), method: .exact)
    }
    let mean = total / 2
    let variance = Double(n) * Double(n + 1) * Double(2 * n + 1) / 24 - tieTerm / 48
    let distance = max(abs(positive - mean) - 0.5, 0)
    let p = variance > 0 ? StandardNormal.twoSided(distance / variance.squareRoot()) : 1
    return Result(
      n: n, zeros: zeros, positiveRankSum: positive, negativeRankSum: negative, pValue: p, method: .normal)
  }

  /// 2 × the smaller tail of the exact null distribution of the positive rank sum, at most 1.
  static func exactPValue(n: Int, positiveRankSum w: Int) -> Double {
    let total = n * (n + 1) / 2
    // ways[s]: subsets of the ranks 1…n summing to s.
    var ways = [Double](repeating: 0, count: total + 1)
    ways[0] = 1
    for rank in 1...n {
      for s in stride(from: total, through: rank, by: -1) { ways[s] += ways[s - rank] }
    }
    let all = Double(1 << n)
    let lower = ways[0...w].reduce(0, +) / all
    let upper = ways[w...total].reduce(0, +) / all
    return min(1, 2 * min(lower, upper))
  }
}

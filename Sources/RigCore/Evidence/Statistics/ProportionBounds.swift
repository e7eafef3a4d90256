// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Rates of rare events (dropped or damaged frames) with a confidence bound, and the test of
/// whether one rate exceeds another.
public enum ProportionBounds {
  /// The Wilson score interval for `events` of `trials` at a two-sided confidence (0.95 by
  /// default). Unlike the plain `k / n ± z·se`, it stays inside [0, 1] and is not zero-wide
  /// when no event was seen: 0 drops in 1,000 frames still allows a rate up to 0.38 %.
  public static func wilson(events: Int, trials: Int, z: Double = 1.959963984540054) -> ClosedRange<Double> {
    guard trials > 0 else { return 0...1 }
    let n = Double(trials)
    let k = Double(min(max(events, 0), trials))
    let z2 = z * z
    let centre = (k + z2 / 2) / (n + z2)
    let half = z / (n + z2) * (k * (n - k) / n + z2 / 4).squareRoot()
    return max(0, centre - half)...min(1, centre + half)
  }

  /// One-sided exact p-value that the first rate (`events` of `trials`) is higher than the
  /// second's (`baselineEvents` of `baselineTrials`).
  ///
  /// Conditional on the total number of events, each event fell in the first sample with
  /// probability trials ÷ (trials + baselineTrials) when the rates are equal, so the p-value is
  /// a binomial tail: P(X ≥ events), X ~ Binomial(events + baselineEvents, that share).
  public static func exceedancePValue(
    events: Int, trials: Int, baselineEvents: Int, baselineTrials: Int
  ) -> Double {
    let total = events + baselineEvents
    guard total > 0, events > 0, trials > 0 else { return 1 }
    guard baselineTrials > 0 else { return 1 }
    let share = Double(trials) / Double(trials + baselineTrials)
    return binomialUpperTail(atLeast: events, of: total, probability: share)
  }

  /// P(X ≥ k) for X ~ Binomial(n, p), summed in log space so large n neither overflows nor
  /// underflows to a wrong answer.
  static func binomialUpperTail(atLeast k: Int, of n: Int, probability p: Double) -> Double {
    guard k > 0 else { return 1 }
    guard k <= n else { return 0 }
    if p >= 1 { return 1 }
    if p <= 0 { return 0 }
    let logP = log(p)
    let logQ = log1p(-p)
    let logNFactorial = logGamma(Double(n) + 1)
    var sum = 0.0
    for i in k...n {
      let logTerm =
        logNFactorial - logGamma(Double(i) + 1) - logGamma(Double(n - i) + 1) + Double(i) * logP
        + Double(n - i) * logQ
      sum += exp(logTerm)
    }
    return min(1, sum)
  }
}

/// ln Γ(x), spelled so the C library's one-result `lgamma` is chosen.
private func logGamma(_ x: Double) -> Double {
  let value: Double = lgamma(x)
  return value
}

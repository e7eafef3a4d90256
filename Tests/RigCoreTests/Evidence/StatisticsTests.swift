// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

/// Reference values computed with SciPy 1.17 (`scipy.stats.wilcoxon(d, zero_method="wilcox",
/// correction=True, method=…)`, `binomtest(...).proportion_ci(method="wilson")`,
/// `binom.sf(k - 1, n, p)`), typed in here: the tests do not need SciPy.
@Suite("Evidence statistics against worked values")
struct StatisticsTests {
  private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
  }

  @Test("signed-rank, exact: small samples without ties or zeros")
  func signedRankExact() {
    let r = SignedRankTest.test([1.5, -0.3, 2.2, 0.8, 1.1, -0.6, 0.4, 1.9])
    #expect(r.method == .exact && r.n == 8)
    #expect(r.negativeRankSum == 4 && r.positiveRankSum == 32)
    #expect(close(r.pValue, 0.0546875))
    let allUp = SignedRankTest.test([1, 2, 3, 4, 5])
    #expect(allUp.method == .exact && close(allUp.pValue, 0.0625))
    #expect(SignedRankTest.test([-1, -2, -3, -4, -5]).pValue == allUp.pValue)
  }

  @Test("signed-rank, tiny samples: one difference can never be significant")
  func signedRankTiny() {
    let one = SignedRankTest.test([3.0])
    #expect(one.n == 1 && one.pValue == 1)
    let two = SignedRankTest.test([3.0, 4.0])
    #expect(close(two.pValue, 0.5))
  }

  @Test("signed-rank, ties share their average rank and correct the variance")
  func signedRankTies() {
    let r = SignedRankTest.test([1, 1, -1, 2, 2, 2, -3, 4, 4, 5, 1, -2])
    #expect(r.method == .normal)
    #expect(r.negativeRankSum == 18)
    #expect(close(r.pValue, 0.10495315530426598))
    let allSame = SignedRankTest.test([Double](repeating: 1, count: 10))
    #expect(close(allSame.pValue, 0.0019041950430043904))
  }

  @Test("signed-rank, zero differences are dropped")
  func signedRankZeros() {
    let r = SignedRankTest.test([0, 0, 1, 2, -1, 3, 0, 4, 5, 6, -2, 7])
    #expect(r.n == 9 && r.zeros == 3 && r.method == .normal)
    #expect(r.negativeRankSum == 5)
    #expect(close(r.pValue, 0.04364035668584734))
  }

  @Test("signed-rank, large samples use the normal approximation")
  func signedRankLarge() {
    let d = (0..<40).map { Double(($0 * 37) % 23 - 9) + 0.5 }
    let r = SignedRankTest.test(d)
    #expect(r.method == .normal && r.n == 40)
    #expect(close(r.pValue, 0.05030432098662228))
  }

  @Test("signed-rank, nothing to test: empty input and all-zero differences give p = 1")
  func signedRankEmpty() {
    for d in [[], [0.0, 0, 0]] {
      let r = SignedRankTest.test(d)
      #expect(r.n == 0 && r.pValue == 1 && !r.pValue.isNaN)
    }
  }

  @Test("Wilson score interval, including no events and all events")
  func wilson() {
    let cases: [(Int, Int, Double, Double)] = [
      (0, 1000, 0, 0.0038267584855551234),
      (1, 1000, 0.00017654637062607809, 0.0056425585979579355),
      (10, 1000, 0.00544075444552925, 0.018309468870314774),
      (5, 5, 0.5655175352168251, 1),
      (3, 10, 0.10779126740630102, 0.6032218525388546),
    ]
    for (k, n, low, high) in cases {
      let ci = ProportionBounds.wilson(events: k, trials: n)
      #expect(close(ci.lowerBound, low, 1e-7) && close(ci.upperBound, high, 1e-7), "\(k) of \(n)")
    }
    #expect(ProportionBounds.wilson(events: 0, trials: 0) == 0...1)
  }

  @Test("exceedance of a rate over a baseline's: a conditional binomial tail")
  func exceedance() {
    let cases: [(Int, Int, Int, Int, Double)] = [
      (10, 0, 10_000, 10_000, 0.0009765625),
      (3, 0, 1000, 5000, 0.0046296296296296285),
      (12, 4, 20_000, 100_000, 4.291151496084987e-07),
      (1, 0, 1000, 1000, 0.5),
      (0, 3, 10, 10, 1),
      (40, 30, 25_000, 25_000, 0.140989460896828),
    ]
    for (k, kb, n, nb, p) in cases {
      let value = ProportionBounds.exceedancePValue(events: k, trials: n, baselineEvents: kb, baselineTrials: nb)
      #expect(close(value, p, 1e-8), "\(k)/\(n) over \(kb)/\(nb)")
    }
    #expect(close(ProportionBounds.binomialUpperTail(atLeast: 600, of: 1000, probability: 0.5), 1.3642320780329735e-10, 1e-6))
    #expect(ProportionBounds.exceedancePValue(events: 0, trials: 0, baselineEvents: 0, baselineTrials: 0) == 1)
  }

  @Test("paired bootstrap: a constant shift gives exactly that difference, no shift gives zero")
  func bootstrapShift() throws {
    let base = (0..<200).map { 30 + Double(($0 * 7919) % 97) / 10 }
    let slower = base.map { $0 + 2.5 }
    let shifted = try #require(PairedBootstrap.percentileDifference(current: slower, baselineRuns: [base]))
    #expect(close(shifted.estimate, 2.5) && close(shifted.lower, 2.5) && close(shifted.upper, 2.5))
    let same = try #require(PairedBootstrap.percentileDifference(current: base, baselineRuns: [base]))
    #expect(same.estimate == 0 && same.lower == 0 && same.upper == 0)
  }

  @Test("paired bootstrap: the estimate is the nearest-rank p95 difference; the interval holds it")
  func bootstrapEstimate() throws {
    // Nearest-rank p95 of 1…20 is 19; of 1…20 with the top five doubled it is 38.
    let base = (1...20).map(Double.init)
    let tail = base.enumerated().map { $0.offset >= 15 ? $0.element * 2 : $0.element }
    let r = try #require(PairedBootstrap.percentileDifference(current: tail, baselineRuns: [base]))
    #expect(r.estimate == 19)
    #expect(r.lower <= r.estimate && r.estimate <= r.upper)
    let again = try #require(PairedBootstrap.percentileDifference(current: tail, baselineRuns: [base]))
    #expect(again == r)
    let runs = try #require(PairedBootstrap.percentileDifference(current: tail, baselineRuns: [base, base.map { $0 + 1 }, base]))
    #expect(runs.estimate == 19)
    #expect(PairedBootstrap.percentileDifference(current: [], baselineRuns: [[]]) == nil)
    #expect(PairedBootstrap.percentileDifference(current: [1], baselineRuns: []) == nil)
  }

  @Test("selection finds the same value as sorting, for any rank")
  func select() {
    var random = SynthRandom(seed: 3)
    for n in [1, 2, 3, 10, 101] {
      let values = (0..<n).map { _ in Double(random.integer(0...9)) }
      for rank in 1...n {
        var scratch = values
        #expect(PairedBootstrap.select(&scratch, rank) == values.sorted()[rank - 1])
      }
    }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Where a metric's history changed level or shape, found by E-divisive (Matteson & James 2014,
/// "A nonparametric approach for multiple change point analysis of multivariate data"), the
/// method CI performance systems use on nightly figures.
///
/// Bisection: the best split of the whole series (largest energy divergence, `EnergySplit`) is
/// kept if a permutation test says it is significant; then the best split of each resulting
/// segment is tested in turn, the strongest first, until none is significant. The permutation
/// test shuffles the segment's values `permutations` times with a fixed seed and counts how often
/// a shuffled segment splits at least as well: p = (1 + that count) ÷ (1 + permutations). It
/// assumes only that, without a change, the values of a segment are exchangeable (their order
/// does not matter) — no normality, no equal variances.
public enum ChangePoints {
  public struct Settings: Sendable, Equatable {
    /// A change is reported when its permutation p-value is at most this.
    public var significance: Double
    public var permutations: Int
    /// Fewest values on either side of a change.
    public var minimumSegment: Int
    public var seed: UInt64

    public init(significance: Double = 0.01, permutations: Int = 199, minimumSegment: Int = 3, seed: UInt64 = 0xED1_5EED) {
      self.significance = significance
      self.permutations = permutations
      self.minimumSegment = minimumSegment
      self.seed = seed
    }
  }

  /// One change found in a series.
  public struct Change: Sendable, Equatable, Codable {
    /// Index in the series of the first value after the change.
    public var index: Int
    /// Median of the segment before the change (back to the previous change or the start).
    public var before: Double
    /// Median of the segment from the change to the next one (or the end).
    public var after: Double
    /// Permutation p-value of the split when it was found.
    public var pValue: Double

    public var size: Double { after - before }
    /// `size` as a fraction of `before`; nil when `before` is 0.
    public var relativeSize: Double? { before == 0 ? nil : size / abs(before) }
    /// 1 − p.
    public var confidence: Double { 1 - pValue }
  }

  /// Every significant change in `series`, in index order. Non-finite values are left out (they
  /// cannot start a change); indices still refer to `series`.
  public static func find(in series: [Double], settings: Settings = Settings()) -> [Change] {
    let kept = series.indices.filter { series[$0].isFinite }
    let values = kept.map { series[$0] }
    var random = SynthRandom(seed: settings.seed)
    var found: [(index: Int, pValue: Double)] = []
    // Segments not yet settled, each with its best split.
    var open: [Candidate] = []
    if let first = Candidate(values, 0..<values.count, settings) { open.append(first) }
    while let strongest = open.indices.max(by: { open[$0].statistic < open[$1].statistic }) {
      let candidate = open.remove(at: strongest)
      let p = pValue(of: candidate, values, settings, &random)
      guard p <= settings.significance else { break }
      found.append((candidate.change, p))
      for part in [candidate.range.lowerBound..<candidate.change, candidate.change..<candidate.range.upperBound] {
        if let next = Candidate(values, part, settings) { open.append(next) }
      }
    }
    let boundaries = found.map(\.index).sorted()
    return found.sorted { $0.index < $1.index }.map { change in
      let at = boundaries.firstIndex(of: change.index) ?? 0
      let start = at == 0 ? 0 : boundaries[at - 1]
      let end = at + 1 < boundaries.count ? boundaries[at + 1] : values.count
      return Change(
        index: kept[change.index], before: median(Array(values[start..<change.index])),
        after: median(Array(values[change.index..<end])), pValue: change.pValue)
    }
  }

  /// A segment and its best split.
  private struct Candidate {
    var range: Range<Int>
    /// Index in the series of the first value after the split.
    var change: Int
    var statistic: Double

    init?(_ values: [Double], _ range: Range<Int>, _ settings: Settings) {
      var split = EnergySplit(values[range], minimumSegment: settings.minimumSegment)
      guard let best = split.best(), best.statistic > 0 else { return nil }
      self.range = range
      change = range.lowerBound + best.split
      statistic = best.statistic
    }
  }

  /// The permutation p-value of a candidate's split. Stops early once the split can no longer be
  /// significant, so a series without a change costs a handful of shuffles.
  private static func pValue(
    of candidate: Candidate, _ values: [Double], _ settings: Settings, _ random: inout SynthRandom
  ) -> Double {
    var split = EnergySplit(values[candidate.range], minimumSegment: settings.minimumSegment)
    let allowed = settings.significance * Double(settings.permutations + 1) - 1
    // A shuffle that splits within rounding of the observed statistic counts as "as good".
    let threshold = candidate.statistic * (1 - 1e-9)
    var asGood = 0
    for done in 1...max(settings.permutations, 1) {
      split.shuffle(using: &random)
      if let best = split.best(), best.statistic >= threshold {
        asGood += 1
        if Double(asGood) > allowed {
          return Double(1 + asGood) / Double(1 + done)
        }
      }
    }
    return Double(1 + asGood) / Double(1 + settings.permutations)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// The divergence statistic of E-divisive (Matteson & James, 2014) for every split of one
/// segment of a univariate series, with exponent α = 1.
///
/// For a split of the segment's m values into the first τ (A) and the other m − τ (B):
///
///   Ê = 2/(τ(m−τ)) Σ_{A×B} |a − b| − 2/(τ(τ−1)) Σ_{pairs in A} |a − a'| − 2/((m−τ)(m−τ−1)) Σ_{pairs in B} |b − b'|
///   Q = τ(m−τ)/m · Ê
///
/// Ê is zero in expectation when A and B come from the same distribution, whatever that
/// distribution is, and grows with any difference between them (level, spread or shape). The sums
/// of pairwise distances of every prefix and every suffix are built one value at a time with a
/// Fenwick tree over the values' ranks, so all splits of m values cost O(m log m) rather than
/// O(m²); the cross sum is the whole segment's minus the two within-sums.
struct EnergySplit {
  /// Values of the segment, centred (distances do not change; sums lose less precision).
  private var values: [Double]
  /// Each value's rank in the segment, 0…m−1 (ties broken by position; a tie adds 0 either way).
  private var ranks: [Int32]
  private let minimumSegment: Int
  // Reused buffers.
  private var prefix: [Double]
  private var suffix: [Double]
  private var counts: [Int32]
  private var sums: [Double]

  init(_ segment: ArraySlice<Double>, minimumSegment: Int) {
    let m = segment.count
    let centre = segment.isEmpty ? 0 : segment.reduce(0, +) / Double(m)
    let centred = segment.map { $0 - centre }
    let order = centred.indices.sorted { centred[$0] < centred[$1] }
    var ranks = [Int32](repeating: 0, count: m)
    for (rank, index) in order.enumerated() { ranks[index] = Int32(rank) }
    values = centred
    self.ranks = ranks
    self.minimumSegment = max(minimumSegment, 2)
    prefix = [Double](repeating: 0, count: m + 1)
    suffix = [Double](repeating: 0, count: m + 1)
    counts = [Int32](repeating: 0, count: m + 1)
    sums = [Double](repeating: 0, count: m + 1)
  }

  var count: Int { values.count }

  /// The split with the largest Q: τ is the number of values before the split (the change is at
  /// the segment's index τ). Nil when the segment is too short to split.
  mutating func best() -> (split: Int, statistic: Double)? {
    let m = values.count
    guard m >= 2 * minimumSegment else { return nil }
    withinSums(forward: true)
    withinSums(forward: false)
    let total = prefix[m]
    var bestSplit = minimumSegment
    var bestQ = -Double.infinity
    for tau in minimumSegment...(m - minimumSegment) {
      let a = Double(tau)
      let b = Double(m - tau)
      let withinA = prefix[tau]
      let withinB = suffix[tau]
      let cross = total - withinA - withinB
      let e = 2 * cross / (a * b) - 2 * withinA / (a * (a - 1)) - 2 * withinB / (b * (b - 1))
      let q = a * b / Double(m) * e
      if q > bestQ {
        bestQ = q
        bestSplit = tau
      }
    }
    return (bestSplit, bestQ)
  }

  /// Reorders the segment at random (values keep their ranks), for the permutation test.
  mutating func shuffle(using random: inout SynthRandom) {
    let m = values.count
    guard m > 1 else { return }
    for i in stride(from: m - 1, to: 0, by: -1) {
      let j = random.integer(0...i)
      values.swapAt(i, j)
      ranks.swapAt(i, j)
    }
  }

  /// Sums of pairwise distances of every prefix (`forward`) or suffix, into `prefix`/`suffix`:
  /// prefix[τ] covers values 0..<τ, suffix[τ] covers values τ..<m.
  private mutating func withinSums(forward: Bool) {
    let m = values.count
    counts.withUnsafeMutableBufferPointer { counts in
      sums.withUnsafeMutableBufferPointer { sums in
        values.withUnsafeBufferPointer { values in
          ranks.withUnsafeBufferPointer { ranks in
            for i in 0...m {
              counts[i] = 0
              sums[i] = 0
            }
            var total = 0.0
            var within = 0.0
            var inserted = 0
            func store(_ at: Int, _ value: Double) {
              if forward { prefix[at] = value } else { suffix[at] = value }
            }
            store(forward ? 0 : m, 0)
            for step in 0..<m {
              let index = forward ? step : m - 1 - step
              let x = values[index]
              let rank = Int(ranks[index])
              // Values ranked below x: how many and their sum (Fenwick prefix query over 1…rank).
              var lessCount: Int32 = 0
              var lessSum = 0.0
              var i = rank
              while i > 0 {
                lessCount += counts[i]
                lessSum += sums[i]
                i &= i - 1
              }
              let less = Double(lessCount)
              let more = Double(inserted) - less
              within += x * less - lessSum + (total - lessSum) - x * more
              // Insert x at rank + 1.
              var j = rank + 1
              while j <= m {
                counts[j] += 1
                sums[j] += x
                j += j & -j
              }
              total += x
              inserted += 1
              store(forward ? step + 1 : index, within)
            }
          }
        }
      }
    }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// A paired bootstrap of the difference in a percentile (the p95 latency) between a test's frames
/// now and the same frames in one or more baseline runs.
///
/// Each resample draws frames with replacement and keeps every drawn frame's pair together (for a
/// baseline of several runs, each drawn frame also draws which run it comes from), so what the
/// frames share — their content — cancels, and the spread of the resampled differences is the
/// spread of the difference itself. It assumes frames are independent of one another; the
/// interval is the percentile interval of the resampled differences. The seed is fixed: the same
/// inputs give the same interval on every run and every machine.
public enum PairedBootstrap {
  public struct Interval: Sendable, Equatable {
    /// The percentile now minus the median of the baseline runs' percentiles.
    public var estimate: Double
    public var lower: Double
    public var upper: Double
  }

  /// - Parameters:
  ///   - current: one value per frame.
  ///   - baselineRuns: one array per baseline run, each aligned with `current` (same frames, same
  ///     order).
  ///   - percentile: 0 < p ≤ 100, by nearest rank.
  ///   - confidence: two-sided, e.g. 0.99.
  /// - Returns: nil when there is no frame or no baseline run.
  public static func percentileDifference(
    current: [Double], baselineRuns: [[Double]], percentile: Double = 95, confidence: Double = 0.99,
    resamples: Int = 400, seed: UInt64 = 0x5EED_B007
  ) -> Interval? {
    let n = current.count
    guard n > 0, !baselineRuns.isEmpty, baselineRuns.allSatisfy({ $0.count == n }) else { return nil }
    let rank = nearestRank(percentile, of: n)
    var scratch = current
    let now = select(&scratch, rank)
    let baselines = baselineRuns.map { run -> Double in
      var values = run
      return select(&values, rank)
    }
    let estimate = now - median(baselines)

    // A resample's percentile is found from how often each frame was drawn, walking the values
    // from the largest down: the rank-th smallest of n is the (n − rank + 1)-th largest, and it is
    // near the top for a high percentile, so no resample is ever sorted or selected.
    let runs = baselineRuns.count
    let fromTop = n - rank + 1
    let nowOrder = descendingOrder(current)
    // Pair p is frame p / runs of run p % runs.
    var pairs = [Double](repeating: 0, count: n * runs)
    for run in 0..<runs { for frame in 0..<n { pairs[frame * runs + run] = baselineRuns[run][frame] } }
    let baseOrder = descendingOrder(pairs)
    var drawnFrames = [Int32](repeating: 0, count: n)
    var drawnPairs = [Int32](repeating: 0, count: n * runs)
    var random = SynthRandom(seed: seed)
    var differences: [Double] = []
    differences.reserveCapacity(resamples)
    for _ in 0..<resamples {
      for _ in 0..<n {
        let frame = random.integer(0...(n - 1))
        let run = runs == 1 ? 0 : random.integer(0...(runs - 1))
        drawnFrames[frame] += 1
        drawnPairs[frame * runs + run] += 1
      }
      let now = current[kthLargest(fromTop, order: nowOrder, counts: drawnFrames)]
      let pair = kthLargest(fromTop, order: baseOrder, counts: drawnPairs)
      differences.append(now - baselineRuns[pair % runs][pair / runs])
      for i in drawnFrames.indices { drawnFrames[i] = 0 }
      for i in drawnPairs.indices { drawnPairs[i] = 0 }
    }
    differences.sort()
    let tail = (1 - confidence) / 2
    let lower = differences[min(resamples - 1, Int((tail * Double(resamples)).rounded(.down)))]
    let upper = differences[max(0, Int(((1 - tail) * Double(resamples)).rounded(.up)) - 1)]
    return Interval(estimate: estimate, lower: lower, upper: upper)
  }

  /// Indices of `values`, largest value first.
  private static func descendingOrder(_ values: [Double]) -> [Int] {
    var keyed = values.enumerated().map { (value: $0.element, index: $0.offset) }
    keyed.sort { $0.value > $1.value }
    return keyed.map(\.index)
  }

  /// The element, in `order` (largest value first), at which the draws counted so far reach `k`.
  private static func kthLargest(_ k: Int, order: [Int], counts: [Int32]) -> Int {
    var seen = 0
    for element in order {
      seen += Int(counts[element])
      if seen >= k { return element }
    }
    return order.last ?? 0
  }

  /// 1-based nearest rank of percentile `p` among `n` values (as `Percentile.nearestRank`).
  static func nearestRank(_ p: Double, of n: Int) -> Int {
    min(max(Int((p / 100 * Double(n)).rounded(.up)), 1), n)
  }

  /// The `rank`-th smallest value (1-based), reordering `values` (quickselect, linear on average).
  static func select(_ values: inout [Double], _ rank: Int) -> Double {
    var low = 0
    var high = values.count - 1
    let target = rank - 1
    return values.withUnsafeMutableBufferPointer { v in
      while low < high {
        // Median of three as the pivot keeps sorted and reversed inputs linear.
        let mid = low + (high - low) / 2
        if v[mid] < v[low] { v.swapAt(mid, low) }
        if v[high] < v[low] { v.swapAt(high, low) }
        if v[high] < v[mid] { v.swapAt(high, mid) }
        let pivot = v[mid]
        var i = low
        var j = high
        while i <= j {
          while v[i] < pivot { i += 1 }
          while v[j] > pivot { j -= 1 }
          if i <= j {
            v.swapAt(i, j)
            i += 1
            j -= 1
          }
        }
        if target <= j {
          high = j
        } else if target >= i {
          low = i
        } else {
          return v[target]
        }
      }
      return v[target]
    }
  }
}

/// The median (mean of the two middle values for an even count); 0 for no values.
func median(_ values: [Double]) -> Double {
  guard !values.isEmpty else { return 0 }
  let sorted = values.sorted()
  let mid = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

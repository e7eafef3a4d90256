// SPDX-License-Identifier: Apache-2.0

/// The values of a run of consecutive frames, reduced to their extremes.
public struct ValueBucket: Sendable, Equatable {
  /// The first frame of the bucket.
  public var first: Int
  /// One past its last frame.
  public var end: Int
  public var minimum: Double
  public var maximum: Double

  public init(first: Int, end: Int, minimum: Double, maximum: Double) {
    self.first = first
    self.end = end
    self.minimum = minimum
    self.maximum = maximum
  }
}

/// Reduces a per-frame series to at most a given number of buckets for drawing, keeping each
/// bucket's minimum and maximum, so a single extreme frame among 100,000 still shows as a spike.
public enum SeriesDownsampler {
  /// About one bucket per horizontal pixel of a chart's plot.
  public static let defaultBuckets = 600

  /// Buckets of consecutive frames `0..<count`; `value(i)` is frame i's value, nil where the
  /// frame has none (missing, not measured). A bucket with no value is nil: a gap in the line.
  /// Non-finite values count as no value. With `count <= maxBuckets` every frame is a bucket.
  public static func buckets(
    count: Int, maxBuckets: Int = defaultBuckets, value: (Int) -> Double?
  ) -> [ValueBucket?] {
    withoutActuallyEscaping(value) { value in
      buckets(span: count, maxBuckets: maxBuckets, points: (0..<max(count, 0)).lazy.map { ($0, value($0)) })
    }
  }

  /// As `buckets(count:maxBuckets:value:)` for sparse points `(frame, value)` in frame order:
  /// frames without a point are gaps. Points outside `0..<span` are left out.
  public static func buckets(
    span: Int, maxBuckets: Int = defaultBuckets, points: some Sequence<(Int, Double?)>
  ) -> [ValueBucket?] {
    guard span > 0 else { return [] }
    let n = min(span, max(1, maxBuckets))
    var low = [Double](repeating: .infinity, count: n)
    var high = [Double](repeating: -.infinity, count: n)
    for (frame, value) in points {
      guard frame >= 0, frame < span, let value, value.isFinite else { continue }
      // The bucket b holds frames b*span/n ..< (b+1)*span/n.
      let b = min(n - 1, ((frame + 1) * n - 1) / span)
      low[b] = min(low[b], value)
      high[b] = max(high[b], value)
    }
    return (0..<n).map { b in
      low[b] <= high[b]
        ? ValueBucket(first: b * span / n, end: (b + 1) * span / n, minimum: low[b], maximum: high[b]) : nil
    }
  }

  /// The smallest and largest value of some buckets, nil when all are gaps.
  public static func extent(_ buckets: [ValueBucket?]) -> (minimum: Double, maximum: Double)? {
    var low = Double.infinity
    var high = -Double.infinity
    for case let bucket? in buckets {
      low = min(low, bucket.minimum)
      high = max(high, bucket.maximum)
    }
    return low <= high ? (low, high) : nil
  }
}

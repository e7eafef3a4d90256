// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("Downsampling per-frame series")
struct SeriesDownsamplerTests {
  @Test("a short series keeps every frame as its own bucket")
  func short() {
    let buckets = SeriesDownsampler.buckets(count: 5, maxBuckets: 600) { Double($0 * 2) }
    #expect(buckets.count == 5)
    #expect(buckets[3] == ValueBucket(first: 3, end: 4, minimum: 6, maximum: 6))
  }

  @Test("a long series keeps at most the bucket count and every extreme")
  func extremes() {
    let n = 100_000
    let buckets = SeriesDownsampler.buckets(count: n, maxBuckets: 600) { i in
      i == 73_421 ? 500 : (i == 12_345 ? -40 : 30 + Double(i % 7) * 0.1)
    }
    #expect(buckets.count == 600)
    let extent = SeriesDownsampler.extent(buckets)
    #expect(extent?.maximum == 500)
    #expect(extent?.minimum == -40)
    let spike = buckets.compactMap { $0 }.first { $0.maximum == 500 }!
    #expect((spike.first..<spike.end).contains(73_421))
    // The buckets tile the frames without gaps or overlaps.
    #expect(buckets.first??.first == 0)
    #expect(buckets.last??.end == n)
    for (a, b) in zip(buckets, buckets.dropFirst()) { #expect(a!.end == b!.first) }
  }

  @Test("each frame lands in the bucket that covers it", arguments: [(7, 3), (100, 7), (1001, 600), (599, 600)])
  func placement(span: Int, maxBuckets: Int) {
    let buckets = SeriesDownsampler.buckets(span: span, maxBuckets: maxBuckets, points: (0..<span).map { ($0, Double($0)) })
    for bucket in buckets {
      let b = bucket!
      #expect(b.minimum == Double(b.first))
      #expect(b.maximum == Double(b.end - 1))
    }
  }

  @Test("frames without a value are gaps; non-finite values count as none")
  func gaps() {
    let buckets = SeriesDownsampler.buckets(count: 6, maxBuckets: 600) { i in
      switch i {
      case 1: nil
      case 2: .nan
      case 3: .infinity
      default: 1
      }
    }
    #expect(buckets.map { $0 == nil } == [false, true, true, true, false, false])
  }

  @Test("an empty series has no buckets and no extent")
  func empty() {
    #expect(SeriesDownsampler.buckets(count: 0) { _ in 1 }.isEmpty)
    #expect(SeriesDownsampler.extent([nil, nil]) == nil)
    let outside: [(Int, Double?)] = [(-1, 3), (10, 4)]
    #expect(SeriesDownsampler.buckets(span: 10, points: outside).allSatisfy { $0 == nil })
  }

  @Test("one point is one bucket")
  func onePoint() {
    let buckets = SeriesDownsampler.buckets(count: 1) { _ in 42 }
    #expect(buckets == [ValueBucket(first: 0, end: 1, minimum: 42, maximum: 42)])
  }
}

// SPDX-License-Identifier: Apache-2.0

/// The fixture generator's random numbers: xoshiro256** seeded through SplitMix64.
///
/// Clips must be byte-identical for a given seed on every platform and Swift version, so the
/// generator never touches `SystemRandomNumberGenerator` or the standard library's unspecified
/// `random(in:)` algorithms: every draw below is spelled out here.
public struct SynthRandom: RandomNumberGenerator, Sendable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// A generator whose whole sequence follows from `seed`.
  public init(seed: UInt64) {
    var sm = seed
    func splitMix() -> UInt64 {
      sm &+= 0x9E37_79B9_7F4A_7C15
      var z = sm
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix()
    s1 = splitMix()
    s2 = splitMix()
    s3 = splitMix()
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotate(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotate(s3, 45)
    return result
  }

  /// A uniform double in [0, 1), from the top 53 bits.
  public mutating func unit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform double in `range`.
  public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
    range.lowerBound + (range.upperBound - range.lowerBound) * unit()
  }

  /// A uniform integer in `range` (multiply-shift; the tiny bias is irrelevant for fixtures).
  public mutating func integer(_ range: ClosedRange<Int>) -> Int {
    let span = UInt64(range.upperBound - range.lowerBound) + 1
    return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
  }

  /// True with probability `p`.
  public mutating func chance(_ p: Double) -> Bool {
    unit() < p
  }

  /// An approximately normal sample with standard deviation 1: the centred sum of the eight bytes
  /// of one word (Irwin–Hall, n = 8), bounded at ±4.9.
  ///
  /// Integer arithmetic only, so the same seed gives the same bits on every platform (libm's
  /// `log` and `cos` may differ in the last place between C libraries).
  public mutating func normal() -> Double {
    Double(Self.byteSum(next()) - 1020) * Self.byteSumScale
  }

  /// The sum of the eight bytes of `word`, 0…2040.
  @inline(__always)
  static func byteSum(_ word: UInt64) -> Int {
    let pairs = (word & 0x00FF_00FF_00FF_00FF) &+ ((word >> 8) & 0x00FF_00FF_00FF_00FF)
    return Int((pairs &* 0x0001_0001_0001_0001) >> 48)
  }

  /// 1 / standard deviation of the sum of eight uniform bytes: sqrt(8 × (256² − 1) / 12).
  static let byteSumScale = 1 / (8.0 * 65535.0 / 12.0).squareRoot()

  private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
  }
}

// SPDX-License-Identifier: Apache-2.0

/// SplitMix64: a small deterministic generator, so fuzz runs are repeatable from their seed.
struct FuzzRandom: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// `count` bytes, about half of them `magic` so false message starts are common.
  mutating func noise(_ count: Int, magic: UInt8 = 0xE7) -> [UInt8] {
    (0..<count).map { _ in Bool.random(using: &self) ? UInt8.random(in: 0...255, using: &self) : magic }
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation

/// SplitMix64: a small, fast generator whose whole future follows from its seed, so every random
/// choice of the virtual DUT repeats exactly on a rerun with the same seed.
struct SeededRandom: RandomNumberGenerator {
  private var state: UInt64

  /// A generator for one purpose at one place: the bench seed, the test, the frame and a
  /// constant naming what the numbers are for (jitter, misses, garbage…).
  init(seed: UInt64, test: UInt64, frame: UInt64, purpose: UInt64) {
    var s = seed
    s = Self.mix(s ^ Self.mix(test &+ 0x9E37_79B9_7F4A_7C15))
    s = Self.mix(s ^ Self.mix(frame &+ 0xD1B5_4A32_D192_ED03))
    state = Self.mix(s ^ Self.mix(purpose &+ 0x8CB9_2BA7_2F3D_8DD7))
  }

  private static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return Self.mix(state)
  }

  /// Uniform in [0, 1).
  mutating func unit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// Standard normal (Box–Muller).
  mutating func gaussian() -> Double {
    let u1 = max(unit(), .leastNonzeroMagnitude)
    let u2 = unit()
    return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
  }

  /// FNV-1a of a string's UTF-8 bytes: how a test name becomes part of a seed.
  static func hash(_ text: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return h
  }
}

/// What a stream of random numbers is used for (mixed into the seed so streams stay independent).
enum RandomPurpose {
  static let jitter: UInt64 = 1
  static let miss: UInt64 = 2
  static let phantom: UInt64 = 3
  static let garbage: UInt64 = 4
  static let runOffset: UInt64 = 5
  static let boardOffset: UInt64 = 6
  static let spike: UInt64 = 7
  static let drop: UInt64 = 8
  static let miscount: UInt64 = 9
}

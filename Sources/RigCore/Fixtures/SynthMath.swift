// SPDX-License-Identifier: Apache-2.0

/// Portable arithmetic for the clip generator.
///
/// libm's `sin` may round differently between C libraries, which would make a generated clip
/// differ by a grey level between Linux and macOS. These use only IEEE basic operations, which
/// are correctly rounded everywhere, so a seed names the same bytes on every platform.
enum SynthMath {
  /// sin(x), accurate to about 1e-9 (odd Taylor polynomial after reduction to [-π/2, π/2]).
  static func sine(_ x: Double) -> Double {
    let twoPi = 2 * Double.pi
    var r = x - twoPi * (x / twoPi).rounded()
    // Fold into [-π/2, π/2] using sin(π − r) = sin(r).
    if r > Double.pi / 2 {
      r = Double.pi - r
    } else if r < -Double.pi / 2 {
      r = -Double.pi - r
    }
    let r2 = r * r
    var term = r
    var sum = r
    var k = 1.0
    for _ in 0..<8 {
      term = -term * r2 / ((k + 1) * (k + 2))
      sum += term
      k += 2
    }
    return sum
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The standard normal distribution, for the large-sample approximations of the tests here.
enum StandardNormal {
  /// P(Z > z).
  static func survival(_ z: Double) -> Double {
    0.5 * erfc(z / 2.0.squareRoot())
  }

  /// The two-sided p-value of a z score: P(|Z| ≥ |z|).
  static func twoSided(_ z: Double) -> Double {
    min(1, 2 * survival(abs(z)))
  }
}

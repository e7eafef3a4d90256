// SPDX-License-Identifier: Apache-2.0

/// Round tick values for one axis: a domain widened to whole steps of 1, 2 or 5 × 10ⁿ, so the
/// labels read as 0, 20, 40 rather than 3.7, 21.9, 40.1.
public struct AxisTicks: Sendable, Equatable {
  /// The axis runs from `lower` to `upper`, both multiples of `step`.
  public let lower: Double
  public let upper: Double
  public let step: Double

  /// Ticks covering `minimum...maximum` with about `count` intervals. Non-finite bounds are
  /// ignored; an empty or single-valued range still gets a usable axis around it. `minimumStep`
  /// keeps ticks whole where fractions mean nothing (frame numbers).
  public init(
    minimum: Double, maximum: Double, count: Int = 5, includeZero: Bool = false,
    minimumStep: Double = 0
  ) {
    var low = minimum.isFinite ? minimum : 0
    var high = maximum.isFinite ? maximum : low
    if low > high { swap(&low, &high) }
    if includeZero {
      low = Swift.min(low, 0)
      high = Swift.max(high, 0)
    }
    if high - low < 1e-12 * Swift.max(1, abs(high)) {
      // A constant series: give it room, so its line sits inside the plot, not on an edge.
      let pad = low == 0 ? 1 : abs(low) * 0.1
      if includeZero && low >= 0 {
        high += pad
      } else {
        low -= pad
        high += pad
      }
    }
    let step = Swift.max(Self.niceStep((high - low) / Double(Swift.max(1, count))), minimumStep)
    self.step = step
    self.lower = (low / step).rounded(.down) * step
    self.upper = Swift.max((high / step).rounded(.up) * step, self.lower + step)
  }

  /// The tick values from `lower` to `upper`.
  public var values: [Double] {
    let n = Int(((upper - lower) / step).rounded())
    return (0...Swift.max(0, Swift.min(n, 100))).map { lower + Double($0) * step }
  }

  /// A tick's label, with as many decimals as the step needs and no more.
  public func label(_ value: Double) -> String {
    var decimals = 0
    var scaled = step
    while decimals < 6, abs(scaled - scaled.rounded()) > 1e-9 * Swift.max(1, abs(scaled)) {
      scaled *= 10
      decimals += 1
    }
    let text = ConsoleSummary.fixed(abs(value) < step * 1e-9 ? 0 : value, decimals)
    return abs(value) >= 10_000 && decimals == 0 ? Self.thousands(text) : text
  }

  /// 1, 2 or 5 times a power of ten, the smallest not below `raw`.
  static func niceStep(_ raw: Double) -> Double {
    guard raw.isFinite, raw > 0 else { return 1 }
    var power = 1.0
    while power * 10 <= raw { power *= 10 }
    while power > raw { power /= 10 }
    for factor in [1.0, 2, 5, 10] where factor * power >= raw * (1 - 1e-9) {
      return factor * power
    }
    return 10 * power
  }

  /// `100000` as `100k`: long frame numbers stay short under the axis.
  private static func thousands(_ text: String) -> String {
    guard text.hasSuffix("000") else { return text }
    return String(text.dropLast(3)) + "k"
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Maps data values onto pixels: `lower...upper` onto `start...end` (`end` may be smaller than
/// `start`, as for a y axis that grows upwards).
public struct LinearScale: Sendable, Equatable {
  public let lower: Double
  public let upper: Double
  public let start: Double
  public let end: Double

  public init(domain lower: Double, _ upper: Double, pixels start: Double, _ end: Double) {
    self.lower = lower
    self.upper = upper
    self.start = start
    self.end = end
  }

  public init(_ ticks: AxisTicks, pixels start: Double, _ end: Double) {
    self.init(domain: ticks.lower, ticks.upper, pixels: start, end)
  }

  /// The pixel of `value`, kept inside the scale's pixels; a value that is not a number maps to
  /// `start`, so nothing drawn is ever NaN.
  public func position(_ value: Double) -> Double {
    guard value.isFinite, upper > lower else { return start }
    let fraction = (value - lower) / (upper - lower)
    let pixel = start + min(max(fraction, 0), 1) * (end - start)
    return pixel
  }
}

// SPDX-License-Identifier: Apache-2.0

/// How numbers appear in SVG attributes: at most one decimal (a tenth of a pixel is finer than
/// any screen or printer shows), never NaN or infinity, which would make a browser drop the shape.
enum SVGNumber {
  /// Coordinates beyond this are off any chart; clamping keeps the text short and finite.
  private static let bound = 1_000_000.0

  static func format(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let tenths = Int64((min(max(value, -bound), bound) * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    let magnitude = abs(tenths)
    if magnitude % 10 == 0 { return tenths == 0 ? "0" : sign + String(magnitude / 10) }
    return "\(sign)\(magnitude / 10).\(magnitude % 10)"
  }
}

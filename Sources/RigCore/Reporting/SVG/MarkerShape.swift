// SPDX-License-Identifier: Apache-2.0

/// Outline shapes that tell kinds of marks apart without colour (and on a black-and-white print).
public enum MarkerShape: String, Sendable, CaseIterable {
  case tick, circle, cross, triangle, square, diamond, plus, caret

  /// SVG path commands drawing the shape centred on (x, y), about 8 px across.
  func path(x: Double, y: Double) -> String {
    let f = SVGNumber.format
    switch self {
    case .tick: return "M\(f(x)) \(f(y - 4))v8"
    case .circle: return "M\(f(x - 3)) \(f(y))a3 3 0 1 0 6 0a3 3 0 1 0-6 0"
    case .cross: return "M\(f(x - 3)) \(f(y - 3))l6 6m0-6l-6 6"
    case .triangle: return "M\(f(x)) \(f(y - 4))l3.5 7h-7z"
    case .square: return "M\(f(x - 3)) \(f(y - 3))h6v6h-6z"
    case .diamond: return "M\(f(x)) \(f(y - 4))l4 4-4 4-4-4z"
    case .plus: return "M\(f(x - 4)) \(f(y))h8m-4-4v8"
    case .caret: return "M\(f(x - 3.5)) \(f(y - 3))l3.5 7 3.5-7"
    }
  }

  /// A character that stands for the shape in text (tables and legends beside the chart).
  public var symbol: String {
    switch self {
    case .tick: "|"
    case .circle: "\u{25CB}"
    case .cross: "\u{00D7}"
    case .triangle: "\u{25B3}"
    case .square: "\u{25A1}"
    case .diamond: "\u{25C7}"
    case .plus: "+"
    case .caret: "\u{2228}"
    }
  }
}

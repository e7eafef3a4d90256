// SPDX-License-Identifier: Apache-2.0

/// A plot area with its two axes: horizontal grid lines at the y ticks with their labels on the
/// left, the x axis with ticks and labels below, and each axis's title.
struct ChartAxes {
  var x: AxisTicks
  var y: AxisTicks
  var xScale: LinearScale
  var yScale: LinearScale
  /// Baseline of the x tick labels (below the plot, and below any marker rows).
  var xLabelBaseline: Double
  var xTitle: String
  var yTitle: String

  /// Left edge of the plot in a chart's view box: room for y labels such as `100000` or `damaged`.
  static let plotLeft = 58.0
  /// Right margin, so the last x label fits.
  static let plotRightMargin = 14.0

  func render() -> String {
    let f = SVGNumber.format
    let left = xScale.start
    let right = xScale.end
    let top = yScale.end
    let bottom = yScale.start
    var grid = ""
    var out = ""
    for value in y.values {
      let py = yScale.position(value)
      grid += "M\(f(left)) \(f(py))H\(f(right))"
      out += SVGDocument.text(y.label(value), x: left - 4, y: py + 3, anchor: "end", cssClass: "tl")
    }
    var ticks = ""
    for value in x.values {
      let px = xScale.position(value)
      ticks += "M\(f(px)) \(f(bottom))v4"
      out += SVGDocument.text(x.label(value), x: px, y: xLabelBaseline, anchor: "middle", cssClass: "tl")
    }
    let axis = "M\(f(left)) \(f(top))V\(f(bottom))H\(f(right))"
    out += SVGDocument.text(xTitle, x: right, y: xLabelBaseline + 12, anchor: "end", cssClass: "at")
    out += SVGDocument.text(yTitle, x: 2, y: top - 6, cssClass: "at")
    return "<path class=\"grid\" d=\"\(grid)\"/><path class=\"axis\" d=\"\(axis)\(ticks)\"/>" + out
  }
}

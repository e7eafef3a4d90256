// SPDX-License-Identifier: Apache-2.0

/// A distribution as bars over equal-width bins, with labelled vertical markers at chosen values
/// (percentiles): each marker has its own dash pattern and its own text row, so they stay
/// apart even when they fall on the same bin.
public struct Histogram: Sendable {
  public struct Marker: Sendable {
    public var value: Double
    public var label: String
    public init(value: Double, label: String) {
      self.value = value
      self.label = label
    }
  }

  /// The bins: `lower` to `upper` in `counts.count` equal steps.
  public struct Bins: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var counts: [Int]
  }

  public var bins: Bins
  public var markers: [Marker] = []
  public var xTitle: String
  public var width = 720.0
  public var plotHeight = 120.0

  /// Bins `values` (non-finite ones are left out) over round bounds around their range.
  public init(values: some Sequence<Double>, binCount: Int = 40, xTitle: String) {
    self.bins = Self.bin(values, count: binCount)
    self.xTitle = xTitle
  }

  static func bin(_ values: some Sequence<Double>, count: Int) -> Bins {
    var low = Double.infinity
    var high = -Double.infinity
    for v in values where v.isFinite {
      low = min(low, v)
      high = max(high, v)
    }
    guard low <= high else { return Bins(lower: 0, upper: 1, counts: []) }
    let ticks = AxisTicks(minimum: low, maximum: high, count: max(1, count))
    let n = max(1, Int(((ticks.upper - ticks.lower) / ticks.step).rounded()))
    var counts = [Int](repeating: 0, count: n)
    let width = (ticks.upper - ticks.lower) / Double(n)
    for v in values where v.isFinite {
      let index = Int(((v - ticks.lower) / width).rounded(.down))
      counts[min(max(index, 0), n - 1)] += 1
    }
    return Bins(lower: ticks.lower, upper: ticks.upper, counts: counts)
  }

  public func render(label: String) -> String {
    let left = ChartAxes.plotLeft
    let right = width - ChartAxes.plotRightMargin
    let top = 12.0 + Double(markers.count) * 11
    let bottom = top + plotHeight
    let height = bottom + 28
    let f = SVGNumber.format

    let xTicks = AxisTicks(minimum: bins.lower, maximum: bins.upper, count: 8)
    let xScale = LinearScale(xTicks, pixels: left, right)
    let yTicks = AxisTicks(minimum: 0, maximum: Double(bins.counts.max() ?? 0), count: 4, minimumStep: 1)
    let yScale = LinearScale(yTicks, pixels: bottom, top)
    var body = ChartAxes(
      x: xTicks, y: yTicks, xScale: xScale, yScale: yScale, xLabelBaseline: bottom + 13,
      xTitle: xTitle, yTitle: "frames"
    ).render()
    var bars = ""
    let binWidth = (bins.upper - bins.lower) / Double(max(bins.counts.count, 1))
    for (index, count) in bins.counts.enumerated() where count > 0 {
      let x0 = xScale.position(bins.lower + Double(index) * binWidth)
      let x1 = xScale.position(bins.lower + Double(index + 1) * binWidth)
      bars += "M\(f(x0)) \(f(bottom))V\(f(yScale.position(Double(count))))H\(f(x1))V\(f(bottom))z"
    }
    if !bars.isEmpty { body += "<path class=\"bar\" d=\"\(bars)\"/>" }
    let dashes = ["4 2", "1.5 2", "8 2 2 2"]
    for (index, marker) in markers.enumerated() where marker.value.isFinite {
      let x = xScale.position(marker.value)
      let y = 10.0 + Double(index) * 11
      body += "<path class=\"pm\" stroke-dasharray=\"\(dashes[index % dashes.count])\" "
        + "d=\"M\(f(x)) \(f(y + 2))V\(f(bottom))\"/>"
      let nearRight = x > left + (right - left) * 0.7
      body += SVGDocument.text(
        marker.label, x: nearRight ? x - 3 : x + 3, y: y, anchor: nearRight ? "end" : "start", cssClass: "cl")
    }
    return SVGDocument.wrap(width: width, height: height, label: label, cssClass: "chart", body: body)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// A chart of per-frame series over a clip: each series a step line through its buckets (with a
/// bucket's extremes drawn as a vertical stroke, so downsampling never hides a spike), limits
/// as horizontal guides, frames worth pointing at as labelled vertical callouts, and rows of
/// shape markers under the plot for frames with findings.
public struct LineChart: Sendable {
  /// How a line is drawn; series differ by dash pattern, not colour alone.
  public enum Stroke: String, Sendable {
    case solid, dashed, dotted, dashDot

    var dashArray: String? {
      switch self {
      case .solid: nil
      case .dashed: "6 3"
      case .dotted: "1.5 2.5"
      case .dashDot: "7 2 1.5 2"
      }
    }
  }

  public struct Series: Sendable {
    public var name: String
    public var buckets: [ValueBucket?]
    public var stroke: Stroke
    public init(name: String, buckets: [ValueBucket?], stroke: Stroke = .solid) {
      self.name = name
      self.buckets = buckets
      self.stroke = stroke
    }
  }

  /// Frames marked under the plot with one shape, e.g. every dropped frame.
  public struct MarkerRow: Sendable {
    public var label: String
    public var shape: MarkerShape
    /// Frame ranges to mark, in frame order; every one gets a mark, however narrow.
    public var ranges: [Range<Int>]
    /// Said on hover, e.g. `dropped: 12 frames, the first at 30`.
    public var note: String
    public init(label: String, shape: MarkerShape, ranges: [Range<Int>], note: String) {
      self.label = label
      self.shape = shape
      self.ranges = ranges
      self.note = note
    }
  }

  /// A horizontal line at a value, such as a limit.
  public struct Guide: Sendable {
    public var value: Double
    public var label: String
    public init(value: Double, label: String) {
      self.value = value
      self.label = label
    }
  }

  /// A labelled vertical line at a frame, such as the first wrong count.
  public struct Callout: Sendable {
    public var frame: Int
    public var label: String
    public init(frame: Int, label: String) {
      self.frame = frame
      self.label = label
    }
  }

  /// The x axis runs from 0 to this: the clip's frames (or, for a trend, the runs).
  public var frameCount: Int
  public var yTitle: String
  public var xTitle = "frame"
  public var series: [Series] = []
  public var rows: [MarkerRow] = []
  public var guides: [Guide] = []
  public var callouts: [Callout] = []
  /// Whether the y axis starts at zero (counts) or hugs the data (latency, memory).
  public var includeZero = true
  /// Whether y values are whole numbers (people, crossings): no fractional ticks.
  public var wholeNumbers = false
  public var width = 720.0
  public var plotHeight = 140.0

  public init(frameCount: Int, yTitle: String) {
    self.frameCount = frameCount
    self.yTitle = yTitle
  }

  static let rowHeight = 13.0
  private static let plotTop = 24.0

  /// The chart as an `<svg>` element; `label` is its accessible name.
  public func render(label: String) -> String {
    let left = ChartAxes.plotLeft
    let right = width - ChartAxes.plotRightMargin
    let top = Self.plotTop
    let bottom = top + plotHeight
    let rowsBottom = bottom + 4 + Double(rows.count) * Self.rowHeight
    let height = rowsBottom + 26

    let xTicks = AxisTicks(minimum: 0, maximum: Double(max(frameCount, 1)), count: 8, minimumStep: 1)
    let xScale = LinearScale(domain: 0, Double(max(frameCount, 1)), pixels: left, right)
    let extents = series.compactMap { SeriesDownsampler.extent($0.buckets) }
    var low = extents.map(\.minimum).min() ?? guides.first(where: { $0.value.isFinite })?.value ?? 0
    var high = extents.map(\.maximum).max() ?? low
    // A guide near the data widens the axis to show it; one far off (a RAM limit twice the use)
    // would flatten the data to a line, so it is named at the edge instead.
    let reach = max(high - low, 0.5 * max(abs(low), abs(high)))
    for guide in guides where guide.value.isFinite && guide.value >= low - reach && guide.value <= high + reach {
      low = min(low, guide.value)
      high = max(high, guide.value)
    }
    let yTicks = AxisTicks(
      minimum: low, maximum: high, count: 4, includeZero: includeZero, minimumStep: wholeNumbers ? 1 : 0)
    let yScale = LinearScale(yTicks, pixels: bottom, top)

    var body = ChartAxes(
      x: xTicks, y: yTicks, xScale: xScale, yScale: yScale, xLabelBaseline: rowsBottom + 11,
      xTitle: xTitle, yTitle: yTitle
    ).render()
    body += guidesSVG(xScale: xScale, yScale: yScale)
    for (index, s) in series.enumerated() {
      body += Self.path(s, index: index, xScale: xScale, yScale: yScale)
    }
    body += calloutsSVG(xScale: xScale, top: top, bottom: bottom)
    for (index, row) in rows.enumerated() {
      body += Self.markerRow(row, y: bottom + 4 + Self.rowHeight * (Double(index) + 0.5), xScale: xScale)
    }
    body += legend(left: left)
    return SVGDocument.wrap(width: width, height: height, label: label, cssClass: "chart", body: body)
  }

  /// One series as a path: per bucket, a vertical stroke from its minimum to its maximum at its
  /// first frame, then a horizontal one to its end. A gap (a bucket without values) breaks the line.
  static func path(_ s: Series, index: Int, xScale: LinearScale, yScale: LinearScale) -> String {
    let f = SVGNumber.format
    var d = ""
    var connected = false
    for bucket in s.buckets {
      guard let bucket else {
        connected = false
        continue
      }
      let x0 = f(xScale.position(Double(bucket.first)))
      let x1 = f(xScale.position(Double(bucket.end)))
      d += (connected ? "L" : "M") + "\(x0) \(f(yScale.position(bucket.minimum)))"
      if bucket.maximum != bucket.minimum { d += "V\(f(yScale.position(bucket.maximum)))" }
      d += "H\(x1)"
      connected = true
    }
    guard !d.isEmpty else { return "" }
    let dash = s.stroke.dashArray.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    return "<path class=\"s\(index)\" fill=\"none\"\(dash) d=\"\(d)\"/>"
  }

  /// Marks for every range of a row: a shape at each, and a bar under ranges wider than a mark.
  /// Ranges closer together than a mark's width share one mark, so the row stays small.
  static func markerRow(_ row: MarkerRow, y: Double, xScale: LinearScale) -> String {
    let f = SVGNumber.format
    var shapes = ""
    var bars = ""
    var lastMark = -Double.infinity
    for range in row.ranges {
      let x0 = xScale.position(Double(range.lowerBound))
      let x1 = xScale.position(Double(range.upperBound))
      if x1 - x0 > 6 { bars += "M\(f(x0)) \(f(y))H\(f(x1))" }
      let centre = x1 - x0 > 6 ? x0 + 3 : (x0 + x1) / 2
      if centre - lastMark >= 4 {
        shapes += row.shape.path(x: centre, y: y)
        lastMark = centre
      }
    }
    var out = "<g class=\"mk\"><title>\(HTMLText.escape(row.note))</title>"
    out += SVGDocument.text(row.label, x: xScale.start - 4, y: y + 3, anchor: "end", cssClass: "tl")
    if !bars.isEmpty { out += "<path class=\"mkbar\" d=\"\(bars)\"/>" }
    out += "<path class=\"mks\" fill=\"none\" d=\"\(shapes)\"/></g>"
    return out
  }

  private func guidesSVG(xScale: LinearScale, yScale: LinearScale) -> String {
    let f = SVGNumber.format
    var out = ""
    let (low, high) = (min(yScale.lower, yScale.upper), max(yScale.lower, yScale.upper))
    for guide in guides where guide.value.isFinite {
      guard guide.value >= low, guide.value <= high else {
        let above = guide.value > high
        let y = above ? yScale.end + 9 : yScale.start - 3
        out += SVGDocument.text(
          "\(guide.label) (\(above ? "above" : "below") the chart)", x: xScale.end - 2, y: y, anchor: "end",
          cssClass: "gl")
        continue
      }
      let y = yScale.position(guide.value)
      out += "<path class=\"guide\" stroke-dasharray=\"2 2\" d=\"M\(f(xScale.start)) \(f(y))H\(f(xScale.end))\"/>"
      out += SVGDocument.text(guide.label, x: xScale.end - 2, y: y - 3, anchor: "end", cssClass: "gl")
    }
    return out
  }

  private func calloutsSVG(xScale: LinearScale, top: Double, bottom: Double) -> String {
    let f = SVGNumber.format
    var out = ""
    for (index, callout) in callouts.enumerated() {
      let x = xScale.position(Double(callout.frame) + 0.5)
      out += "<path class=\"callout\" stroke-dasharray=\"3 2\" d=\"M\(f(x)) \(f(top))V\(f(bottom))\"/>"
      let nearRight = x > xScale.start + (xScale.end - xScale.start) * 0.6
      let y = top + 10 + Double(index % 3) * 11
      out += SVGDocument.text(
        callout.label, x: nearRight ? x - 3 : x + 3, y: y, anchor: nearRight ? "end" : "start", cssClass: "cl")
    }
    return out
  }

  /// Series names with a sample of each line's dash pattern, after the y title.
  private func legend(left: Double) -> String {
    let f = SVGNumber.format
    var x = max(left, 2 + Double(yTitle.count) * 6 + 16)
    var out = ""
    for (index, s) in series.enumerated() {
      let dash = s.stroke.dashArray.map { " stroke-dasharray=\"\($0)\"" } ?? ""
      out += "<path class=\"s\(index)\" fill=\"none\"\(dash) d=\"M\(f(x)) 14h18\"/>"
      out += SVGDocument.text(s.name, x: x + 22, y: 17, cssClass: "lg")
      x += 22 + Double(s.name.count) * 6 + 14
    }
    return out
  }
}

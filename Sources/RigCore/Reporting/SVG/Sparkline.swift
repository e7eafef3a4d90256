// SPDX-License-Identifier: Apache-2.0

/// A word-sized line of a metric over recent runs, oldest first, with the newest run circled and
/// chosen points (a change point, a flaky flip) marked with a shape.
public struct Sparkline: Sendable {
  public struct Mark: Sendable {
    public var index: Int
    public var shape: MarkerShape
    public init(index: Int, shape: MarkerShape) {
      self.index = index
      self.shape = shape
    }
  }

  /// One value per run; nil where a run has none (the test did not run or was not measured).
  public var values: [Double?]
  public var marks: [Mark] = []
  public var width = 120.0
  public var height = 22.0

  public init(values: [Double?]) {
    self.values = values
  }

  public func render(label: String) -> String {
    let f = SVGNumber.format
    let finite = values.compactMap { $0 }.filter(\.isFinite)
    var low = finite.min() ?? 0
    var high = finite.max() ?? 1
    if high - low < 1e-12 * max(1, abs(high)) {
      low -= 1
      high += 1
    }
    let pad = 4.0
    let xScale = LinearScale(domain: 0, Double(max(values.count - 1, 1)), pixels: pad, width - pad)
    let yScale = LinearScale(domain: low, high, pixels: height - pad, pad)
    var d = ""
    var connected = false
    var last: (Double, Double)?
    for (index, value) in values.enumerated() {
      guard let value, value.isFinite else {
        connected = false
        continue
      }
      let point = (xScale.position(Double(index)), yScale.position(value))
      d += (connected ? "L" : "M") + "\(f(point.0)) \(f(point.1))"
      if !connected, index + 1 < values.count, values[index + 1] == nil {
        d += "h0.5"  // a lone point between gaps still shows as a dot
      }
      connected = true
      last = point
    }
    var body = d.isEmpty ? "" : "<path class=\"spark\" fill=\"none\" d=\"\(d)\"/>"
    var markPath = ""
    for mark in marks where values.indices.contains(mark.index) {
      guard let value = values[mark.index], value.isFinite else { continue }
      markPath += mark.shape.path(x: xScale.position(Double(mark.index)), y: yScale.position(value))
    }
    if !markPath.isEmpty { body += "<path class=\"mks\" fill=\"none\" d=\"\(markPath)\"/>" }
    if let last {
      body += "<path class=\"now\" d=\"\(MarkerShape.circle.path(x: last.0, y: last.1))\"/>"
    }
    return SVGDocument.wrap(width: width, height: height, label: label, cssClass: "spark", body: body)
  }
}

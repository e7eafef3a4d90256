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
    var low = Double.infinity
    var high = -Double.infinity
    for case let v? in values where v.isFinite {
      low = min(low, v)
      high = max(high, v)
    }
    if low > high { (low, high) = (0, 1) }
    if high - low < 1e-12 * max(1, abs(high)) {
      low -= 1
      high += 1
    }
    let pad = 4.0
    let xScale = LinearScale(domain: 0, Double(max(values.count - 1, 1)), pixels: pad, width - pad)
    let yScale = LinearScale(domain: low, high, pixels: height - pad, pad)
    let d = path(xScale: xScale, yScale: yScale)
    var body = d.isEmpty ? "" : "<path class=\"spark\" fill=\"none\" d=\"\(d)\"/>"
    var markPath = ""
    for mark in marks where values.indices.contains(mark.index) {
      guard let value = values[mark.index], value.isFinite else { continue }
      markPath += mark.shape.path(x: xScale.position(Double(mark.index)), y: yScale.position(value))
    }
    if !markPath.isEmpty { body += "<path class=\"mks\" fill=\"none\" d=\"\(markPath)\"/>" }
    if let index = values.lastIndex(where: { $0?.isFinite == true }), let value = values[index] {
      let circle = MarkerShape.circle.path(x: xScale.position(Double(index)), y: yScale.position(value))
      body += "<path class=\"now\" d=\"\(circle)\"/>"
    }
    return SVGDocument.wrap(width: width, height: height, label: label, cssClass: "spark", body: body)
  }

  /// The line: through every value while there are fewer than pixels, else one stroke per pixel
  /// column from its runs' lowest to highest value, so a single bad night still shows.
  private func path(xScale: LinearScale, yScale: LinearScale) -> String {
    let f = SVGNumber.format
    let columns = max(1, Int(width - 8))
    var d = ""
    var connected = false
    if values.count > columns {
      let buckets = SeriesDownsampler.buckets(count: values.count, maxBuckets: columns) { values[$0] }
      for bucket in buckets {
        guard let bucket else {
          connected = false
          continue
        }
        let x = f(xScale.position(Double(bucket.first + bucket.end - 1) / 2))
        d += (connected ? "L" : "M") + "\(x) \(f(yScale.position(bucket.minimum)))"
        if bucket.maximum != bucket.minimum { d += "V\(f(yScale.position(bucket.maximum)))" }
        connected = true
      }
      return d
    }
    for (index, value) in values.enumerated() {
      guard let value, value.isFinite else {
        connected = false
        continue
      }
      d += (connected ? "L" : "M") + "\(f(xScale.position(Double(index)))) \(f(yScale.position(value)))"
      if !connected, index + 1 < values.count, values[index + 1] == nil {
        d += "h0.5"  // a lone point between gaps still shows as a dot
      }
      connected = true
    }
    return d
  }
}

// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("SVG chart builders")
struct ChartBuilderTests {
  private func line(_ values: [Double?], rows: [LineChart.MarkerRow] = [], guides: [LineChart.Guide] = []) -> String {
    var chart = LineChart(frameCount: values.count, yTitle: "people")
    chart.series = [.init(name: "count", buckets: SeriesDownsampler.buckets(count: values.count) { values[$0] })]
    chart.rows = rows
    chart.guides = guides
    return chart.render(label: "test chart")
  }

  @Test("a line chart of an empty, a one-point, a constant and a NaN series is clean SVG")
  func edgeSeries() {
    let cases: [[Double?]] = [[], [3], Array(repeating: 2, count: 50), [1, .nan, .infinity, nil, 4], [nil, nil]]
    for values in cases {
      let svg = line(values)
      #expect(SVGCheck.problems(svg) == [], "\(values)")
      #expect(!svg.lowercased().contains("nan"))
      #expect(svg.contains("<title>test chart</title>"))
    }
  }

  @Test("every coordinate stays inside the view box")
  func insideViewBox() {
    let svg = line([0, 5, 1e9, -3, 2], guides: [.init(value: 4, label: "limit")])
    for number in SVGCheck.pathNumbers(svg) { #expect(abs(number) <= 720) }
  }

  @Test("a step line draws each frame's value from its start to its end")
  func stepPath() {
    let xScale = LinearScale(domain: 0, 2, pixels: 0, 100)
    let yScale = LinearScale(domain: 0, 10, pixels: 100, 0)
    let series = LineChart.Series(
      name: "s", buckets: [ValueBucket(first: 0, end: 1, minimum: 2, maximum: 2), ValueBucket(first: 1, end: 2, minimum: 5, maximum: 5)])
    #expect(LineChart.path(series, index: 0, xScale: xScale, yScale: yScale).contains("d=\"M0 80H50L50 50H100\""))
    let spike = LineChart.Series(name: "s", buckets: [ValueBucket(first: 0, end: 2, minimum: 1, maximum: 9), nil])
    #expect(LineChart.path(spike, index: 1, xScale: xScale, yScale: yScale).contains("d=\"M0 90V10H100\""))
  }

  @Test("a gap breaks the line")
  func gapPath() {
    let svg = line([1, nil, 2])
    #expect(svg.contains("M58 "))
    let d = svg.components(separatedBy: "class=\"s0\" fill=\"none\" d=\"")[1]
    #expect(d.prefix { $0 != "\"" }.filter { $0 == "M" }.count == 2)
  }

  @Test("every marked range gets a mark, however far downsampled")
  func markers() {
    let ranges = [5..<6, 50_000..<50_001, 99_999..<100_000]
    let row = LineChart.MarkerRow(label: "dropped", shape: .circle, ranges: ranges, note: "dropped: 3 frames")
    var chart = LineChart(frameCount: 100_000, yTitle: "people")
    chart.series = [.init(name: "c", buckets: SeriesDownsampler.buckets(count: 100_000) { Double($0 % 3) })]
    chart.rows = [row]
    let svg = chart.render(label: "long")
    let marks = svg.components(separatedBy: "class=\"mks\" fill=\"none\" d=\"")[1].prefix { $0 != "\"" }
    #expect(marks.filter { $0 == "M" }.count == 3)
    #expect(svg.contains("<title>dropped: 3 frames</title>"))
    #expect(svg.utf8.count < 60_000, "a 100,000-frame series is drawn in about 600 buckets")
    #expect(SVGCheck.problems(svg) == [])
  }

  @Test("a far guide is named at the edge instead of flattening the data")
  func farGuide() {
    let svg = line([185, 185.5, 186], guides: [.init(value: 512, label: "RAM limit <= 512")])
    #expect(svg.contains("RAM limit &lt;= 512 (above the chart)"))
    let near = line([30, 35, 38], guides: [.init(value: 45, label: "p95 limit")])
    #expect(near.contains("class=\"guide\""))
  }

  @Test("a histogram bins every finite value and marks percentiles on their own rows")
  func histogram() {
    var h = Histogram(values: [1.0, 2, 2, 3, .nan, 9.9, .infinity], binCount: 10, xTitle: "ms")
    #expect(h.bins.counts.reduce(0, +) == 5)
    h.markers = [.init(value: 2, label: "p50 2 ms"), .init(value: 9.9, label: "p95 9.9 ms"), .init(value: .nan, label: "x")]
    let svg = h.render(label: "latency")
    #expect(SVGCheck.problems(svg) == [])
    #expect(svg.contains("p50 2 ms") && svg.contains("p95 9.9 ms"))
    #expect(!svg.contains(">x<"), "a NaN marker is left out")
    for values in [[Double](), [5], [7, 7, 7]] {
      let one = Histogram(values: values, xTitle: "ms")
      #expect(one.bins.counts.reduce(0, +) == values.count)
      #expect(SVGCheck.problems(one.render(label: "h")) == [])
    }
  }

  @Test("a margin bar hatches the breaking side of the limit and draws the value")
  func marginBar() {
    let atMost = MarginBar(value: 0.042, limit: Limit(.countMAE, .atMost, 0.25))
    #expect(atMost.domain.lower == 0 && atMost.domain.upper == 0.3125)
    let svg = atMost.render(label: "mae")
    #expect(SVGCheck.problems(svg) == [])
    #expect(svg.contains("class=\"hatch\"") && svg.contains("class=\"val\"") && svg.contains("class=\"lim\""))
    let ratio = MarginBar(value: 0.967, limit: Limit(.countExactMatch, .atLeast, 0.8))
    #expect(ratio.domain.lower == 0 && ratio.domain.upper == 1)
    let values: [Double?] = [nil, .nan, -.infinity, 0, 1e12]
    for value in values {
      #expect(SVGCheck.problems(MarginBar(value: value, limit: Limit(.latencyP95, .atMost, 45)).render(label: "x")) == [])
    }
    #expect(SVGCheck.problems(MarginBar(value: 0, limit: Limit(.countMaxAbsError, .equal, 0)).render(label: "x")) == [])
  }

  @Test("a sparkline circles the newest run and survives gaps, one point and a constant")
  func sparkline() {
    for values: [Double?] in [[], [3], [2, 2, 2], [1, nil, 3, .nan, 5], [nil]] {
      var s = Sparkline(values: values)
      s.marks = [.init(index: 0, shape: .diamond), .init(index: 99, shape: .cross)]
      let svg = s.render(label: "trend")
      #expect(SVGCheck.problems(svg) == [], "\(values)")
    }
    let svg = Sparkline(values: [1, 2, 3]).render(label: "trend")
    #expect(svg.contains("class=\"now\""))
    // A thousand nights are drawn a pixel column at a time, one bad night still standing out.
    var nights: [Double?] = (0..<1000).map { 30 + Double($0 % 5) * 0.1 }
    nights[613] = 60
    let long = Sparkline(values: nights).render(label: "1000 nights")
    #expect(long.utf8.count < 4_000)
    #expect(long.contains("V4L"), "the spike's column reaches the top of the line (y = 4)")
    #expect(SVGCheck.problems(long) == [])
  }

  @Test("numbers are written short and never as NaN")
  func numbers() {
    #expect(SVGNumber.format(12.34) == "12.3")
    #expect(SVGNumber.format(-0.04) == "0")
    #expect(SVGNumber.format(-2.25) == "-2.3" || SVGNumber.format(-2.25) == "-2.2")
    #expect(SVGNumber.format(100) == "100")
    #expect(SVGNumber.format(.nan) == "0")
    #expect(SVGNumber.format(.infinity) == "0")
    #expect(SVGNumber.format(1e300) == "1000000")
  }

  @Test("every marker shape is a closed, finite path")
  func shapes() {
    for shape in MarkerShape.allCases {
      let path = shape.path(x: 10, y: 20)
      #expect(SVGCheck.problems("<svg><path d=\"\(path)\"/></svg>") == [])
      #expect(!shape.symbol.isEmpty)
    }
  }
}

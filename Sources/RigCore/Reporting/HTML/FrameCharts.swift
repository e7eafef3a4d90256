// SPDX-License-Identifier: Apache-2.0

/// The charts of one test's frames, from its `frames.csv`: counts against labels with every
/// finding marked on the axis, in/out against their labels, the latency distribution and its
/// course over the clip, and memory over the clip.
struct FrameCharts {
  let table: FrameTable
  let test: TestResult
  let limits: [Limit]
  let marks: (wrong: FrameRanges, findings: [(kind: String, ranges: FrameRanges)])
  /// Frames whose count changed against the baseline, marked on the count chart.
  let changed: FrameRanges

  init(table: FrameTable, test: TestResult, limits: [Limit], countChanges: [CountChange] = []) {
    self.table = table
    self.test = test
    self.limits = limits
    self.marks = FrameRanges.collect(table)
    var changed = FrameRanges()
    for change in countChanges.sorted(by: { $0.frame < $1.frame }) { changed.add(change.frame) }
    self.changed = changed
  }

  var span: Int { table.frameSpan }

  /// View-box width of charts shown two side by side (they stack in a narrow window).
  static let pairedWidth = 480.0

  /// Buckets of a per-row value over the clip's frames.
  private func series(_ value: (Int) -> Double?) -> [ValueBucket?] {
    withoutActuallyEscaping(value) { value in
      SeriesDownsampler.buckets(
        span: span, points: (0..<table.rowCount).lazy.map { (Int(table.frame[$0]), value($0)) })
    }
  }

  private func integer(_ column: [Int32], _ row: Int) -> Double? {
    column[row] == FrameTable.none ? nil : Double(column[row])
  }

  private func guides(_ metric: Metric, _ title: String) -> [LineChart.Guide] {
    limits.filter { $0.metric == metric }.map {
      LineChart.Guide(value: $0.threshold, label: "\(title) limit \($0.comparison.rawValue) \(MetricFormat.number($0.threshold))")
    }
  }

  /// Counted people against the label, frame by frame; wrong counts and findings marked below.
  func timeline() -> String {
    var chart = LineChart(frameCount: span, yTitle: "people")
    chart.wholeNumbers = true
    chart.series = [
      .init(name: "count (DUT)", buckets: series { table.isScored($0) ? integer(table.count, $0) : nil }),
      .init(name: "label", buckets: series { integer(table.label, $0) }, stroke: .dashed),
    ]
    chart.rows.append(
      .init(
        label: "wrong", shape: .tick, ranges: marks.wrong.ranges,
        note: marks.wrong.frames == 0
          ? "no frame counted wrong"
          : "count \u{2260} label: \(marks.wrong.frames) frames, the first at \(marks.wrong.first ?? 0)"))
    for (kind, ranges) in marks.findings {
      chart.rows.append(
        .init(
          label: Self.shortName(kind), shape: FrameRanges.shape(for: kind), ranges: ranges.ranges,
          note: "\(kind): \(ranges.frames) frames, the first at \(ranges.first ?? 0)"))
    }
    if changed.frames > 0 {
      chart.rows.append(
        .init(
          label: "vs base", shape: .caret, ranges: changed.ranges,
          note: "count changed against the baseline: \(changed.frames) frames, the first at \(changed.first ?? 0)"))
    }
    if let first = marks.wrong.first {
      chart.callouts.append(.init(frame: first, label: "first wrong count: frame \(first)"))
    }
    return chart.render(label: "people counted and labelled per frame, \(test.name)")
  }

  /// Cumulative in/out crossings against the labels, where the clip labels them.
  func inOut() -> String? {
    guard table.labelIn.contains(where: { $0 != FrameTable.none }) else { return nil }
    var chart = LineChart(frameCount: span, yTitle: "crossings")
    chart.wholeNumbers = true
    chart.series = [
      .init(name: "in (DUT)", buckets: series { integer(table.inCount, $0) }),
      .init(name: "in label", buckets: series { integer(table.labelIn, $0) }, stroke: .dashed),
      .init(name: "out (DUT)", buckets: series { integer(table.outCount, $0) }, stroke: .dotted),
      .init(name: "out label", buckets: series { integer(table.labelOut, $0) }, stroke: .dashDot),
    ]
    return chart.render(label: "cumulative line crossings in and out per frame, \(test.name)")
  }

  private func latency(_ row: Int) -> Double? {
    let v = table.latency[row]
    return v.isNaN || !table.isScored(row) ? nil : Double(v)
  }

  /// The distribution of device latency with p50, p95 and p99 marked.
  func latencyHistogram() -> String? {
    let values = (0..<table.rowCount).lazy.compactMap { latency($0) }
    guard values.first(where: { _ in true }) != nil else { return nil }
    var histogram = Histogram(values: values, xTitle: "device latency, ms")
    histogram.width = Self.pairedWidth
    let sorted = values.sorted()
    for (metric, name, p) in [(Metric.latencyP50, "p50", 50.0), (.latencyP95, "p95", 95), (.latencyP99, "p99", 99)] {
      guard let value = test.metric(metric) ?? Percentile.nearestRank(sorted, p) else { continue }
      histogram.markers.append(.init(value: value, label: "\(name) \(ConsoleSummary.fixed(value, 2)) ms"))
    }
    return histogram.render(label: "histogram of device latency per frame, \(test.name)")
  }

  /// Device latency frame by frame, with the latency limits drawn across.
  func latencyOverFrames() -> String? {
    let buckets = series { latency($0) }
    guard SeriesDownsampler.extent(buckets) != nil else { return nil }
    var chart = LineChart(frameCount: span, yTitle: "latency, ms")
    chart.includeZero = false
    chart.width = Self.pairedWidth
    chart.series = [.init(name: "device latency", buckets: buckets)]
    chart.guides = guides(.latencyP95, "p95") + guides(.latencyP99, "p99") + guides(.latencyMax, "max")
    return chart.render(label: "device latency per frame, \(test.name)")
  }

  /// Peak RAM as it stood at each frame: what the peak metric counts (static image and tensor
  /// arena, which do not change during a test) plus that frame's stack and heap high-water marks.
  func memory() -> String? {
    var peakStackHeap: Int32 = -1
    for row in 0..<table.rowCount where table.isScored(row) && table.stack[row] != FrameTable.none {
      peakStackHeap = max(peakStackHeap, table.stack[row] + max(table.heap[row], 0))
    }
    guard peakStackHeap >= 0 else { return nil }
    let base = test.metric(.ramPeak).map { $0 * 1024 - Double(peakStackHeap) } ?? 0
    var chart = LineChart(frameCount: span, yTitle: test.metric(.ramPeak) == nil ? "stack + heap, KiB" : "RAM, KiB")
    chart.includeZero = false
    chart.width = Self.pairedWidth
    chart.series = [
      .init(
        name: "RAM at this frame", buckets: series { row in
          guard table.isScored(row), table.stack[row] != FrameTable.none else { return nil }
          return (base + Double(table.stack[row]) + Double(max(table.heap[row], 0))) / 1024
        })
    ]
    chart.guides = guides(.ramPeak, "RAM")
    return chart.render(label: "peak RAM per frame, \(test.name)")
  }

  /// The stack high-water mark frame by frame.
  func stack() -> String? {
    let buckets = series { table.isScored($0) ? integer(table.stack, $0) : nil }
    guard SeriesDownsampler.extent(buckets) != nil else { return nil }
    var chart = LineChart(frameCount: span, yTitle: "stack, bytes")
    chart.includeZero = false
    chart.series = [.init(name: "stack high-water mark", buckets: buckets)]
    chart.width = Self.pairedWidth
    return chart.render(label: "stack high-water mark per frame, \(test.name)")
  }

  /// The first frames counted wrong: frame, label and count.
  func firstWrongFrames(limit: Int = 10) -> [(frame: Int, label: Int32, count: Int32)] {
    var found: [(Int, Int32, Int32)] = []
    for row in 0..<table.rowCount where table.isWrong(row) {
      found.append((Int(table.frame[row]), table.label[row], table.count[row]))
      if found.count == limit { break }
    }
    return found
  }

  /// A finding's name short enough for the space left of a chart.
  static func shortName(_ kind: String) -> String {
    switch kind {
    case "bad_length": "bad length"
    case "capture_stuck": "stuck"
    default: kind.count > 9 ? String(kind.prefix(8)) + "\u{2026}" : kind
    }
  }
}

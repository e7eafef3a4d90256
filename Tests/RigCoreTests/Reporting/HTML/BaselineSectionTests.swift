// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("report.html against a baseline")
struct BaselineSectionTests {
  /// 200 frames; from `wrongFrom` on the DUT counts one too many and takes 20 % longer.
  static func evidence(run: String, wrongFrom: Int = .max) -> TestEvidence {
    var frames = FrameSeries()
    for i in 0..<200 {
      let regressed = i >= wrongFrom
      frames.append(FrameSeries.Frame(
        index: i, label: 2, count: regressed ? 3 : 2,
        latencyMicroseconds: (regressed ? 36_000 : 30_000) + (i % 7) * 100, stackHeapBytes: 6144, finding: .matched))
    }
    return TestEvidence(
      run: run, test: "corridor-busy", identity: EvidenceIdentity(firmwareHash: "f", clipHash: "c"), verdict: .passed,
      metrics: [MetricValue(.countExactMatch, wrongFrom == .max ? 1 : 0.75), MetricValue(.latencyP95, wrongFrom == .max ? 30.6 : 36.6)],
      frames: frames)
  }

  private var history: ReportHistory.Test {
    let comparison = TestComparison(Self.evidence(run: "now", wrongFrom: 150), against: [Self.evidence(run: "base-1")])
    return ReportHistory.Test(
      comparison: comparison,
      trends: [.countExactMatch: [1, 1, nil, 1, 0.75], .latencyP95: [30.5, 30.7, 30.6, 30.6, 36.6]])
  }

  private var test: TestResult {
    var test = FrameTableSamples.result(name: "corridor-busy", frames: 200)
    test.metrics = [MetricValue(.countExactMatch, 0.75), MetricValue(.latencyP95, 36.6)]
    return test
  }

  @Test("judges each aspect, shows every metric's change and the frames whose count changed")
  func section() throws {
    let html = BaselineSection(test: test, history: history).render()
    #expect(html.contains("\u{2717} regression</span> against run <bdi>base-1</bdi>"))
    #expect(html.contains("<code>count.frames</code>"))
    #expect(html.contains("<code>latency.p95_ms</code></td><td class=\"n num\">30.6</td><td class=\"n num\">36.6</td><td class=\"n num\">+6 (+19.6 %)</td>"))
    #expect(html.contains("50 frames changed count</strong> against the baseline (50 worse, 0 better, 0 sideways)"))
    #expect(html.contains("<li>frames 150\u{2013}199: label 2, baseline 2 \u{2192} now 3 (worse)</li>"))
    #expect(html.components(separatedBy: "<svg class=\"spark\"").count == 3, "a sparkline per metric with a trend")
    #expect(SVGCheck.problems("<div>" + html + "</div>") == [])
  }

  @Test("the count chart marks the frames that changed against the baseline")
  func marked() {
    var run = ReportSamples.run
    run.tests = [test]
    let page = HTMLRenderer.render(
      run, frames: ["artifacts/corridor-busy/frames.csv": FrameTableSamples.synthetic(frames: 200, wrongFrom: 150)],
      history: ReportHistory(tests: ["corridor-busy": history]))
    #expect(page.contains("<title>count changed against the baseline: 50 frames, the first at 150</title>"))
    #expect(page.contains("<h3>Against the baseline</h3>"))
    #expect(
      page.contains("passed its limits, but worse than its baseline in count.frames, latency.p95_ms"),
      "a regression is listed with the failures, first")
  }

  @Test("without a baseline, the nightlies alone; without history, nothing")
  func partial() {
    let trendsOnly = BaselineSection(test: test, history: ReportHistory.Test(trends: [.latencyP95: [30, 31]])).render()
    #expect(trendsOnly.contains("No baseline to compare with yet"))
    #expect(trendsOnly.contains("last 2 runs"))
    #expect(BaselineSection(test: test, history: ReportHistory.Test()).render().isEmpty)
  }

  @Test("consecutive frames that changed alike are one range; past 40 ranges the rest are counted")
  func grouping() {
    let changes = (0..<100).map { CountChange(frame: $0 * 2, label: 1, baseline: 1, current: 2) }
      + [CountChange(frame: 201, label: 1, baseline: 1, current: 2), CountChange(frame: 202, label: 1, baseline: 1, current: 2),
         CountChange(frame: 203, label: 2, baseline: 1, current: 2)]
    let groups = BaselineSection.groups(changes.shuffled())
    #expect(groups.count == 100 + 1 + 1)
    #expect(groups[100].frames == 201..<203)
    #expect(groups[101].frames == 203..<204)
  }

  @Test("changes read with sign and share", arguments: [
    (30.6, 36.6, "+6 (+19.6 %)"), (1.0, 0.75, "-0.25 (-25.0 %)"), (0.0, 2.0, "+2"), (5.0, 5.0, "0"),
  ])
  func change(base: Double, now: Double, text: String) {
    #expect(BaselineSection.change(from: base, to: now) == text)
  }
}

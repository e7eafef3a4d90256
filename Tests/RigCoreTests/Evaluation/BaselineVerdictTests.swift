// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("Baseline verdicts of relative limits")
struct BaselineVerdictTests {
  /// A test of 200 frames whose latency is `scale` × a steady 30 ms with small wobble.
  func evidence(_ run: String, scale: Double = 1, countsOff: Set<Int> = []) -> TestEvidence {
    var frames = FrameSeries()
    var latencies: [Double] = []
    for i in 0..<200 {
      let latency = (30 + Double(i % 7) * 0.1) * scale
      latencies.append(latency)
      frames.append(FrameSeries.Frame(
        index: i, label: 1, count: countsOff.contains(i) ? 2 : 1, latencyMicroseconds: Int(latency * 1000),
        stackHeapBytes: 6144, finding: .matched))
    }
    latencies.sort()
    let exact = Double(200 - countsOff.count) / 200
    return TestEvidence(
      run: run, test: "t", identity: EvidenceIdentity(firmwareHash: run, clipHash: "c"), verdict: .passed,
      metrics: [MetricValue(.latencyP95, latencies[189]), MetricValue(.countExactMatch, exact), MetricValue(.ramPeak, 100)],
      frames: frames)
  }

  func result(_ evidence: TestEvidence, relative: [RelativeLimit], limits: [Limit] = []) -> TestResult {
    var result = TestResult(name: "t", classname: "s", verdict: .passed, metrics: evidence.metrics)
    result.relativeLimits = relative
    result.limits = limits
    return result
  }

  @Test("a broken relative limit that the comparison confirms fails the test, naming the run")
  func regression() {
    let baseline = evidence("base")
    let slow = evidence("now", scale: 1.1)
    let judged = BaselineVerdict.apply(
      to: result(slow, relative: [RelativeLimit(.latencyP95, .atMost, .factor(1.05))]),
      comparison: TestComparison(slow, against: [baseline]), missing: "")
    #expect(judged.verdict == .failed)
    #expect(judged.message?.contains("latency.p95_ms") == true)
    #expect(judged.message?.contains("<= baseline * 1.05 = ") == true)
    #expect(judged.message?.contains("run base") == true, "\(judged.message ?? "")")
    #expect(judged.comparison?.verdict == .regression)
  }

  @Test("within the written tolerance, the test passes")
  func withinTolerance() {
    let baseline = evidence("base")
    let slower = evidence("now", scale: 1.03)
    let judged = BaselineVerdict.apply(
      to: result(slower, relative: [RelativeLimit(.latencyP95, .atMost, .factor(1.05))]),
      comparison: TestComparison(slower, against: [baseline]), missing: "")
    #expect(judged.verdict == .passed)
  }

  @Test("frames.changed is judged after the run, and lists the frames")
  func framesChanged() {
    let baseline = evidence("base")
    let miscounted = evidence("now", countsOff: [12, 31])
    let judged = BaselineVerdict.apply(
      to: result(miscounted, relative: [], limits: [Limit(.framesChanged, .equal, 0)]),
      comparison: TestComparison(miscounted, against: [baseline]), missing: "")
    #expect(judged.verdict == .failed)
    #expect(judged.metric(.framesChanged) == 2)
    #expect(judged.message?.contains("frames 12 (label 1: 1 → 2), 31") == true, "\(judged.message ?? "")")
    #expect(Evaluator.violations(of: [Limit(.framesChanged, .equal, 0)], in: []).isEmpty, "not the runner's to judge")
  }

  @Test("without a baseline the test says so and keeps its verdict")
  func noBaseline() {
    let now = evidence("now")
    let judged = BaselineVerdict.apply(
      to: result(now, relative: [RelativeLimit(.ramPeak, .atMost, .offset(2))]), comparison: nil,
      missing: "no passing run yet")
    #expect(judged.verdict == .passed)
    #expect(judged.baselineWarning?.contains("no passing run yet") == true)
    #expect(judged.details?.contains("warning: no baseline") == true)
  }
}

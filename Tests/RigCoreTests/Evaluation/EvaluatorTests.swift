// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("Evaluator")
struct EvaluatorTests {
  /// 600 MHz: 6 000 000 cycles are 10 ms.
  let device = Evaluator.DeviceFacts(cpuHz: 600_000_000, staticRAM: 40_960, arenaUsed: 81_920)

  func report(count: Int, cycles: UInt32 = 6_000_000, stack: Int = 2048, inCount: Int = 0, outCount: Int = 0) -> FrameReport {
    FrameReport(
      sequence: 0, frameCRC: 0, length: 16, count: count, inCount: inCount, outCount: outCount,
      cycles: StageCycles(capture: 0, preprocess: 0, invoke: cycles, postprocess: 0), stackHighWater: stack,
      heapHighWater: 0, status: "ok")
  }

  func value(_ metric: Metric, _ metrics: [MetricValue]) -> Double? {
    metrics.first { $0.metric == metric }?.value
  }

  @Test func countsLatencyAndRAMFromTheScoredFrames() {
    var e = Evaluator(device: device)
    e.add(label: FrameLabel(frame: 0, count: 2), report: report(count: 2))
    e.add(label: FrameLabel(frame: 1, count: 2), report: report(count: 3, cycles: 12_000_000, stack: 4096))
    e.add(label: FrameLabel(frame: 2, count: 1), report: report(count: 0))
    e.add(label: FrameLabel(frame: 3, count: 0), report: report(count: 0))
    let m = e.metrics(accounting: FrameAccounting())
    #expect(value(.countExactMatch, m) == 0.5)
    #expect(value(.countWithinOne, m) == 1)
    #expect(value(.countMAE, m) == 0.5)
    #expect(value(.countBias, m) == 0)
    #expect(value(.countMaxAbsError, m) == 1)
    #expect(value(.latencyMax, m) == 20)
    #expect(value(.latencyP50, m) == 10)
    #expect(value(.ramPeak, m) == 124)  // (40 960 + 81 920 + 4 096) / 1024
    #expect(value(.framesScored, m) == 4)
    // No in/out in the labels: no line metrics.
    #expect(value(.lineInError, m) == nil)
  }

  @Test func nothingScoredLeavesOnlyTheFrameCounts() {
    var accounting = FrameAccounting()
    accounting.missing = 3
    let m = Evaluator(device: device).metrics(accounting: accounting)
    #expect(m.map(\.metric) == [.framesMissing, .framesDuplicated, .framesUnknown, .framesScored])
    #expect(value(.framesMissing, m) == 3)
  }

  @Test func lineErrorsComeFromTheLastFrame() {
    var e = Evaluator(device: device)
    e.add(label: FrameLabel(frame: 0, count: 1, inCount: 0, outCount: 0), report: report(count: 1))
    e.add(label: FrameLabel(frame: 1, count: 1, inCount: 3, outCount: 1), report: report(count: 1, inCount: 2, outCount: 1))
    let m = e.metrics(accounting: FrameAccounting())
    #expect(value(.lineInError, m) == 1)
    #expect(value(.lineOutError, m) == 0)
  }

  @Test func aLimitBrokenOrNotMeasuredIsAViolation() {
    let metrics = [MetricValue(.countExactMatch, 0.9), MetricValue(.framesMissing, 0)]
    let limits = [
      Limit(.countExactMatch, .atLeast, 0.95), Limit(.framesMissing, .atMost, 0), Limit(.latencyP95, .atMost, 50),
    ]
    let violations = Evaluator.violations(of: limits, in: metrics)
    #expect(violations == [
      LimitViolation(limit: limits[0], actual: 0.9), LimitViolation(limit: limits[2], actual: nil),
    ])
  }
}

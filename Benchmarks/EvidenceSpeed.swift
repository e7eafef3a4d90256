// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// How fast the judgement is at the scale of a large nightly: comparing a run of 100 tests ×
/// 1,000 frames with an automatic baseline of five runs (≤ 0.5 s), and change-point detection over
/// 1,000 nightlies of 100 tests (≤ 2 s). Both run on one thread and are timed in that thread's
/// CPU time, so a busy machine does not inflate them; wall time is in the notes.
func evidenceSpeedBenchmark() -> [Figure] {
  let tests = 100
  let frames = 1_000
  // The worst case: every test 10 % slower, so every p95 judgement runs its bootstrap.
  let current = (0..<tests).map { syntheticTest($0, run: "tonight", seed: 99, frames: frames, scale: 1.1) }
  let baseline = (0..<5).map { run in
    (0..<tests).map { syntheticTest($0, run: "night-\(run)", seed: UInt64(run), frames: frames, scale: 1) }
  }
  var byTest: [String: [TestEvidence]] = [:]
  for run in baseline { for test in run { byTest[test.test, default: []].append(test) } }
  var compareSeconds: [Double] = []
  var compareWall: [Double] = []
  var verdict = EvidenceJudgement.Verdict.unchanged
  for _ in 0..<3 {
    let start = ContinuousClock.now
    let cpu = threadCPUSeconds()
    verdict = RunComparison(run: "tonight", tests: current, baselines: byTest).verdict
    compareSeconds.append(threadCPUSeconds() - cpu)
    compareWall.append((ContinuousClock.now - start).seconds)
  }

  // 1,000 nightlies × 100 tests: half the tests step by 3 % somewhere, all with 0.7 % noise.
  var random = SynthRandom(seed: 11)
  let histories = (0..<tests).map { test -> [Double] in
    let step = test % 2 == 0 ? random.integer(100...900) : Int.max
    return (0..<1_000).map { night in 35 * (night >= step ? 1.03 : 1) * (1 + 0.007 * random.normal()) }
  }
  let start = ContinuousClock.now
  let cpu = threadCPUSeconds()
  let changes = histories.map { ChangePoints.find(in: $0).count }
  let trendSeconds = threadCPUSeconds() - cpu
  let trendWall = (ContinuousClock.now - start).seconds
  return [
    Figure(
      name: "comparison of a 100 tests × 1,000 frames run with a 5-run baseline", value: median(compareSeconds),
      unit: "s", limit: 0.5, direction: .atMost,
      note: "thread CPU time, median of 3 (wall \(MetricFormat.format3(median(compareWall))) s); every test 10 % "
        + "slower (verdict \(verdict.rawValue)), so every p95 bootstrap runs"),
    Figure(
      name: "change points over 1,000 nightlies × 100 tests", value: trendSeconds, unit: "s", limit: 2,
      direction: .atMost,
      note: "thread CPU time (wall \(MetricFormat.format3(trendWall)) s); E-divisive, 199 permutations; "
        + "50 series with a 3 % step, \(changes.reduce(0, +)) changes found"),
  ]
}

/// One test's evidence: labels 0–3, counts right but on every 40th frame, latency around 35 ms
/// with 0.4 ms noise and 1 % spikes, scaled by `scale`.
private func syntheticTest(_ index: Int, run: String, seed: UInt64, frames: Int, scale: Double) -> TestEvidence {
  var random = SynthRandom(seed: seed &* 1_000 &+ UInt64(index))
  var series = FrameSeries()
  series.reserveCapacity(frames)
  var latencies: [Double] = []
  for frame in 0..<frames {
    let label = (frame / 25) % 4
    var ms = 34 + 0.5 * Double(label) + 0.4 * random.normal()
    if random.chance(0.01) { ms += 2 * random.uniform(0...4) }
    ms *= scale
    latencies.append(ms)
    series.append(.init(
      index: frame, label: label, count: frame % 40 == 7 ? label + 1 : label,
      latencyMicroseconds: Int((ms * 1000).rounded()), stackHeapBytes: 6144 + 192 * label, finding: .matched))
  }
  let sorted = latencies.sorted()
  return TestEvidence(
    run: run, test: "test-\(index)", identity: EvidenceIdentity(firmwareHash: run, clipHash: "clip-\(index)"),
    verdict: .passed,
    metrics: [
      MetricValue(.latencyP95, Percentile.nearestRank(sorted, 95) ?? 0),
      MetricValue(.ramPeak, Double(96 * 1024 + 85_264 + 6144 + 576) / 1024),
    ],
    frames: series)
}

// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("Comparison of a test with its baseline")
struct ComparisonTests {
  typealias S = EvidenceSamples

  private func verdicts(_ c: TestComparison) -> [EvidenceJudgement.Aspect: EvidenceJudgement.Verdict] {
    Dictionary(uniqueKeysWithValues: c.judgements.map { ($0.aspect, $0.verdict) })
  }

  /// Every number a comparison produces is finite.
  private func finite(_ c: TestComparison) -> Bool {
    c.judgements.allSatisfy { j in
      [j.baseline, j.current, j.pValue].allSatisfy { $0.map(\.isFinite) ?? true }
    } && (c.metrics + c.baselineMetrics).allSatisfy(\.value.isFinite)
  }

  @Test("another night of the same firmware on the same frames is unchanged in every aspect")
  func unchanged() {
    let c = TestComparison(S.run("night-2", seed: 2), against: [S.run("night-1", seed: 1)])
    #expect(c.verdict == .unchanged, "\(c.judgements.map(\.reason))")
    #expect(c.metrics == [MetricValue(.framesChanged, 0)])
    #expect(c.countChanges.isEmpty)
    #expect(c.baselineRuns == ["night-1"])
    #expect(finite(c))
  }

  @Test("frames counted worse are a regression naming the frames, their labels and the run")
  func countsWorse() throws {
    let under: Set<Int> = [8, 15, 101]
    let now = S.run("tonight", seed: 2, counts: { i, label in under.contains(i) ? label - 1 : label })
    let c = TestComparison(now, against: [S.run("release-1.4", seed: 1)])
    let counts = try #require(c.judgement(.counts))
    #expect(counts.verdict == .regression)
    #expect(c.countChanges.map(\.frame) == [8, 15, 101])
    #expect(c.countChanges[0] == CountChange(frame: 8, label: 1, baseline: 1, current: 0))
    #expect(counts.reason.contains("3 frames counted worse, 0 better than in run release-1.4"))
    #expect(counts.reason.contains("frames 8 (label 1: 1 → 0), 15 (label 2: 2 → 1), 101 (label 2: 2 → 1)"))
    #expect(counts.baseline == 1 && counts.current == 197.0 / 200)
    #expect(c.metrics == [MetricValue(.framesChanged, 3)])
    #expect(c.verdict == .regression)
    #expect(c.summary().first?.hasPrefix("count.frames: 3 frames counted worse") == true)
  }

  @Test("better counts are an improvement; as many better as worse is inconclusive")
  func countsBetterAndMixed() {
    let base = S.run("base", counts: { i, label in i == 9 || i == 30 ? label + 1 : label })
    let fixed = TestComparison(S.run("now", seed: 2), against: [base])
    #expect(fixed.judgement(.counts)?.verdict == .improvement)
    let mixed = TestComparison(S.run("now", seed: 2, counts: { i, label in i == 50 ? label + 1 : label }), against: [
      S.run("base", counts: { i, label in i == 9 ? label + 1 : label })
    ])
    #expect(mixed.judgement(.counts)?.verdict == .inconclusive)
    #expect(mixed.metrics == [MetricValue(.framesChanged, 2)])
  }

  @Test("frames the baseline runs disagree on are left out, and then a sign test decides")
  func unstableBaseline() throws {
    let a = S.run("a", seed: 1)
    let b = S.run("b", seed: 3, counts: { i, label in i % 20 == 0 ? label + 1 : label })
    let twoWorse = S.run("now", seed: 2, counts: { i, label in i == 8 || i == 15 ? label + 1 : label })
    let judged = try #require(TestComparison(twoWorse, against: [a, b]).judgement(.counts))
    #expect(judged.verdict == .inconclusive)
    #expect(judged.reason.contains("10 frames left out"))
    #expect(judged.pValue == 0.5)
    let manyWorse = S.run("now", seed: 2, counts: { i, label in i % 20 != 0 && i % 4 == 1 ? label + 1 : label })
    #expect(TestComparison(manyWorse, against: [a, b]).judgement(.counts)?.verdict == .regression)
  }

  @Test("latency 10 % slower on every frame is a regression of the typical latency and of p95")
  func latencySlower() throws {
    let c = TestComparison(S.run("now", seed: 2, latencyScale: 1.10), against: [S.run("base", seed: 1)])
    let typical = try #require(c.judgement(.latency))
    let p95 = try #require(c.judgement(.latencyP95))
    #expect(typical.verdict == .regression && p95.verdict == .regression)
    #expect(try #require(typical.pValue) < 1e-6)
    #expect(typical.reason.contains("(+10."))
    #expect(p95.reason.contains("over 200 frames paired with run base"))
    #expect(p95.reason.contains("99 % interval"))
    let faster = TestComparison(S.run("now", seed: 2, latencyScale: 0.9), against: [S.run("base", seed: 1)])
    #expect(faster.judgement(.latency)?.verdict == .improvement)
    #expect(faster.judgement(.latencyP95)?.verdict == .improvement)
  }

  @Test("a significant change below the latency floor is unchanged, and says so")
  func latencyBelowFloor() throws {
    let base = S.run("base", seed: 1)
    var now = base
    now.run = "now"
    now.frames = FrameSeries(base.frames.map { f in
      var f = f
      f.latencyMicroseconds = f.latencyMicroseconds.map { $0 + 35 }  // +0.1 %
      return f
    })
    let typical = try #require(TestComparison(now, against: [base]).judgement(.latency))
    #expect(typical.verdict == .unchanged)
    #expect(try #require(typical.pValue) < 1e-6)
    #expect(typical.reason.hasSuffix(": real but smaller than the 5.0 % that counts"))
  }

  @Test("a large latency change on too few or too mixed frames is inconclusive")
  func latencyInconclusive() throws {
    let few = TestComparison(S.run("now", frames: 6, latencyScale: 1.2), against: [S.run("base", frames: 6)])
    #expect(few.judgement(.latency)?.verdict == .inconclusive)
    #expect(few.judgement(.latencyP95)?.verdict == .inconclusive)
    #expect(few.judgement(.latency)?.reason.contains("only 6 frames") == true)
    // 7 frames 4 ms slower, 5 frames 5 ms faster: the median moves 11 %, the ranks say chance.
    let base = FrameSeries((0..<12).map {
      .init(index: $0, label: 0, count: 0, latencyMicroseconds: 35_000, stackHeapBytes: 6144, finding: .matched)
    })
    let mixed = FrameSeries((0..<12).map {
      .init(index: $0, label: 0, count: 0, latencyMicroseconds: $0 < 7 ? 39_000 : 30_000, stackHeapBytes: 6144, finding: .matched)
    })
    let c = TestComparison(
      TestEvidence(run: "now", test: "t", identity: S.identity, verdict: .passed, frames: mixed),
      against: [TestEvidence(run: "base", test: "t", identity: S.identity, verdict: .passed, frames: base)])
    let typical = try #require(c.judgement(.latency))
    #expect(typical.verdict == .inconclusive)
    #expect(try #require(typical.pValue) > 0.3)
  }

  @Test("peak RAM: 8 KiB more is a regression from the frame it began; within tolerance is unchanged")
  func ram() throws {
    let base = S.run("base")
    let grown = S.run("now", seed: 2, ramExtra: 8 * 1024)
    let judged = try #require(TestComparison(grown, against: [base]).judgement(.ramPeak))
    #expect(judged.verdict == .regression)
    #expect(judged.reason.contains("(+8 KiB) against run base"))
    #expect(judged.reason.contains("from frame 0"))
    #expect(TestComparison(S.run("now", ramExtra: 100), against: [base]).judgement(.ramPeak)?.verdict == .unchanged)
    #expect(TestComparison(S.run("now", ramExtra: -1024), against: [base]).judgement(.ramPeak)?.verdict == .improvement)
    var unmeasured = base
    unmeasured.metrics = []
    #expect(TestComparison(unmeasured, against: [base]).judgement(.ramPeak)?.verdict == .inconclusive)
  }

  @Test("dropped frames are a rate with a bound: one drop is inconclusive, a steady rate is a regression")
  func drops() throws {
    let clean = S.run("base", frames: 1000)
    let none = try #require(TestComparison(S.run("now", frames: 1000, seed: 2), against: [clean]).judgement(.dropped))
    #expect(none.verdict == .unchanged)
    #expect(none.reason.contains("0 of 1000 frames dropped (0 %, 95 % bound 0 … 0.383 %)"))
    let one = try #require(TestComparison(
      S.run("now", frames: 1000, finding: { $0 == 500 ? .dropped : .matched }), against: [clean]).judgement(.dropped))
    #expect(one.verdict == .inconclusive)
    #expect(one.pValue == 0.5)
    #expect(one.reason.hasSuffix("too few frames to tell"))
    let steady = try #require(TestComparison(
      S.run("now", frames: 1000, finding: { $0 % 100 == 7 ? .dropped : .matched }),
      against: [clean, S.run("base2", frames: 1000, seed: 5)]).judgement(.dropped))
    #expect(steady.verdict == .regression)
    #expect(abs(try #require(steady.pValue) - 1.6935087808430286e-05) < 1e-12)
    let damaged = try #require(TestComparison(
      S.run("now", frames: 1000, finding: { $0 % 100 == 7 ? .truncated : .matched }),
      against: [clean, S.run("base2", frames: 1000, seed: 5)]).judgement(.damaged))
    #expect(damaged.verdict == .regression)
  }

  @Test("a changed clip cannot be paired frame by frame; RAM and rates are still judged")
  func clipChanged() {
    let base = S.run("base")
    let other = S.run("now", ramExtra: 4096, identity: EvidenceIdentity(firmwareHash: "a3f16773346a", clipHash: "new"))
    let c = TestComparison(other, against: [base])
    let v = verdicts(c)
    #expect(v[.counts] == .inconclusive && v[.latency] == .inconclusive && v[.latencyP95] == .inconclusive)
    #expect(c.judgement(.counts)?.reason.contains("the clip changed since run base") == true)
    #expect(v[.ramPeak] == .regression && v[.dropped] == .unchanged)
    #expect(c.metrics.isEmpty)
  }

  @Test("no baseline, empty series: inconclusive, with finite numbers only")
  func degenerate() {
    let none = TestComparison(S.run("now"), against: [])
    #expect(none.judgements.count == EvidenceJudgement.Aspect.allCases.count)
    #expect(none.judgements.allSatisfy { $0.verdict == .inconclusive && $0.reason == "no baseline to compare with" })
    let empty = TestEvidence(run: "now", test: "t", identity: S.identity, verdict: .errored)
    let c = TestComparison(empty, against: [empty])
    #expect(c.verdict == .inconclusive)
    #expect(finite(c) && finite(none))
  }

  @Test("the baseline's metrics are the median of its runs; a relative limit resolves against them")
  func relativeLimits() throws {
    func run(_ p95: Double) -> TestEvidence {
      TestEvidence(run: "r", test: "t", identity: S.identity, verdict: .passed, metrics: [MetricValue(.latencyP95, p95)])
    }
    let baseline = BaselineMetrics.values(of: [run(36), run(40), run(35)])
    #expect(baseline == [MetricValue(.latencyP95, 36)])
    let limit = RelativeLimit(.latencyP95, .atMost, .factor(1.05))
    #expect(limit.resolved(against: baseline) == Limit(.latencyP95, .atMost, 37.800000000000004))
    #expect(limit.description == "latency.p95_ms <= baseline * 1.05")
    #expect(RelativeLimit(.countExactMatch, .atLeast, .offset(-0.01)).threshold(baseline: 0.9) == 0.89)
    #expect(RelativeLimit(.countExactMatch, .atLeast, .offset(-0.01)).expression == "baseline - 0.01")
    #expect(RelativeLimit(.ramPeak, .atMost, .offset(2)).expression == "baseline + 2")
    #expect(RelativeLimit(.ramPeak, .atMost, .offset(2)).resolved(against: baseline) == nil)
  }

  @Test("a run is compared test by test; tests without a baseline are listed")
  func wholeRun() {
    var other = S.run("now", seed: 2, latencyScale: 1.2)
    other.test = "empty-room"
    let run = RunComparison(
      run: "now", tests: [S.run("now", seed: 2), other],
      baselines: ["corridor-light": [S.run("base")]])
    #expect(run.tests.map(\.test) == ["corridor-light"])
    #expect(run.withoutBaseline == ["empty-room"])
    #expect(run.verdict == .unchanged)
    #expect(run.regressions.isEmpty)
  }
}

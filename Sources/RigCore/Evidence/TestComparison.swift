// SPDX-License-Identifier: Apache-2.0

/// One test now against its baseline (one run, or several for an automatic baseline): a
/// judgement per aspect, the frames whose count changed, and the figures relative limits need.
public struct TestComparison: Sendable, Equatable, Codable {
  public var test: String
  /// The run judged.
  public var run: String
  /// The runs it was judged against.
  public var baselineRuns: [String]
  public var judgements: [EvidenceJudgement]
  /// Frames whose count differs from the baseline's, in frame order.
  public var countChanges: [CountChange]
  /// Figures measured only against a baseline (`frames.changed`).
  public var metrics: [MetricValue]
  /// The baseline's value of each metric (the median over its runs), for relative limits.
  public var baselineMetrics: [MetricValue]

  /// Compares a test with the same test in one or more baseline runs.
  ///
  /// Frames are paired by their index in the clip; when the clip changed since the baseline
  /// (another clip hash), nothing per frame can be paired and only peak RAM and the rates of
  /// lost frames are judged.
  public init(_ current: TestEvidence, against baselines: [TestEvidence], settings: ComparisonSettings = ComparisonSettings()) {
    test = current.test
    run = current.run
    baselineRuns = baselines.map(\.run)
    baselineMetrics = BaselineMetrics.values(of: baselines)
    countChanges = []
    metrics = []
    judgements = []
    guard !baselines.isEmpty else {
      judgements = EvidenceJudgement.Aspect.allCases.map {
        EvidenceJudgement(aspect: $0, verdict: .inconclusive, reason: "no baseline to compare with")
      }
      return
    }
    let against = EvidenceWording.against(baselineRuns)
    let frames = AlignedFrames(current: current.frames, baselines: baselines.map(\.frames))
    let sameClip = baselines.allSatisfy { $0.identity.clipHash == current.identity.clipHash }
    if sameClip {
      let (counts, changes) = CountJudge.judge(frames, against: baselineRuns, settings: settings)
      countChanges = changes
      metrics = [MetricValue(.framesChanged, Double(changes.count))]
      judgements = [
        counts,
        LatencyJudge.typical(frames, against: baselineRuns, settings: settings),
        LatencyJudge.p95(frames, against: baselineRuns, settings: settings),
      ]
    } else {
      let reason = "the clip changed since \(against) (another content hash): its frames cannot be paired"
      judgements = [EvidenceJudgement.Aspect.counts, .latency, .latencyP95].map {
        EvidenceJudgement(aspect: $0, verdict: .inconclusive, reason: reason)
      }
    }
    judgements.append(MemoryJudge.judge(current, baselines, frames, settings: settings))
    for aspect in [EvidenceJudgement.Aspect.dropped, .damaged] {
      judgements.append(FrameLossJudge.judge(
        aspect, current.frames, baselines.map(\.frames), against: baselineRuns, settings: settings))
    }
  }

  /// Regression if any aspect regressed; otherwise inconclusive if any is; otherwise improvement
  /// if any improved; otherwise unchanged.
  public var verdict: EvidenceJudgement.Verdict { judgements.map(\.verdict).max() ?? .unchanged }

  public func judgement(_ aspect: EvidenceJudgement.Aspect) -> EvidenceJudgement? {
    judgements.first { $0.aspect == aspect }
  }

  /// One line per aspect with the given verdict, `latency.p95_ms: p95 34.6 → 38.1 ms (+10.1 %) …`:
  /// what a regressed test's failure message says.
  public func summary(of verdict: EvidenceJudgement.Verdict = .regression) -> [String] {
    judgements.filter { $0.verdict == verdict }.map { "\($0.aspect.rawValue): \($0.reason)" }
  }
}

/// A baseline's figure for each metric: the median over its runs (a metric only some runs
/// measured takes the median of those).
public enum BaselineMetrics {
  public static func values(of runs: [TestEvidence]) -> [MetricValue] {
    Metric.allCases.compactMap { metric in
      let values = runs.compactMap { $0.metric(metric) }.filter(\.isFinite)
      return values.isEmpty ? nil : MetricValue(metric, median(values))
    }
  }
}

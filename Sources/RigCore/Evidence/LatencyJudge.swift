// SPDX-License-Identifier: Apache-2.0

/// Judges latency with the frames paired: each frame's latency now against the same frame's in
/// the baseline (the median of the baseline runs for that frame), so the cost of what a frame
/// shows cancels out and only the firmware's change remains.
enum LatencyJudge {
  /// The typical change: Wilcoxon signed-rank on the per-frame differences, its size the median
  /// difference as a fraction of the baseline's median latency.
  static func typical(
    _ frames: AlignedFrames, against runs: [String], settings: ComparisonSettings
  ) -> EvidenceJudgement {
    let current = frames.current
    let aligned = frames.aligned(\.latencies)
    var differences: [Double] = []
    var baseline: [Double] = []
    var now: [Double] = []
    var values: [Double] = []
    for i in current.indices where current.latencies[i] != FrameSeries.absent {
      values.removeAll(keepingCapacity: true)
      for run in aligned where run[i] != FrameSeries.absent { values.append(Double(run[i])) }
      guard !values.isEmpty else { continue }
      let b = smallMedian(&values) / 1000
      let c = Double(current.latencies[i]) / 1000
      baseline.append(b)
      now.append(c)
      differences.append(c - b)
    }
    let against = EvidenceWording.against(runs)
    guard differences.count >= settings.minimumPairs else {
      return EvidenceJudgement(
        aspect: .latency, verdict: .inconclusive,
        reason: "only \(differences.count) frames have a latency both now and in \(against); "
          + "\(settings.minimumPairs) are needed")
    }
    let test = SignedRankTest.test(differences)
    let base = median(baseline)
    let shift = median(differences)
    let relative = base > 0 ? shift / base : 0
    let slower = differences.filter { $0 > 0 }.count
    let reason = "median per-frame change \(EvidenceWording.signed(shift, "ms")) (\(EvidenceWording.percent(relative))) "
      + "over \(differences.count) frames paired with \(against); \(slower) slower, "
      + "\(differences.count - slower - test.zeros) faster; \(EvidenceWording.p(test.pValue))"
    return EvidenceJudgement(
      aspect: .latency,
      verdict: verdict(relative: relative, significant: test.pValue <= settings.significance, settings: settings),
      baseline: base, current: median(now), pValue: test.pValue,
      reason: reason + floorNote(relative, test.pValue <= settings.significance, settings))
  }

  /// The tail: the p95 latency now against the baseline runs' p95, over the frames every run
  /// measured, with a paired bootstrap interval for the difference.
  static func p95(
    _ frames: AlignedFrames, against runs: [String], settings: ComparisonSettings
  ) -> EvidenceJudgement {
    let current = frames.current
    let aligned = frames.aligned(\.latencies)
    var now: [Double] = []
    var baseline = [[Double]](repeating: [], count: frames.runs)
    frames: for i in current.indices where current.latencies[i] != FrameSeries.absent {
      for run in aligned where run[i] == FrameSeries.absent { continue frames }
      now.append(Double(current.latencies[i]) / 1000)
      for run in aligned.indices { baseline[run].append(Double(aligned[run][i]) / 1000) }
    }
    let against = EvidenceWording.against(runs)
    guard now.count >= settings.minimumPairs, !baseline.isEmpty else {
      return EvidenceJudgement(
        aspect: .latencyP95, verdict: .inconclusive,
        reason: "only \(now.count) frames have a latency now and in every run of \(against); "
          + "\(settings.minimumPairs) are needed")
    }
    let rank = PairedBootstrap.nearestRank(95, of: now.count)
    var scratch = now
    let p95Now = PairedBootstrap.select(&scratch, rank)
    let p95Before = median(baseline.map { run -> Double in
      var values = run
      return PairedBootstrap.select(&values, rank)
    })
    let change = p95Now - p95Before
    let relative = p95Before > 0 ? change / p95Before : 0
    var reason = "p95 \(MetricFormat.number(p95Before)) → \(MetricFormat.number(p95Now)) ms "
      + "(\(EvidenceWording.percent(relative))) over \(now.count) frames paired with \(against)"
    guard abs(relative) >= settings.latencyFloor,
      let interval = PairedBootstrap.percentileDifference(
        current: now, baselineRuns: baseline, confidence: settings.bootstrapConfidence,
        resamples: settings.bootstrapResamples)
    else {
      return EvidenceJudgement(
        aspect: .latencyP95, verdict: .unchanged, baseline: p95Before, current: p95Now,
        reason: reason + floorNote(relative, false, settings))
    }
    let confidence = MetricFormat.number(settings.bootstrapConfidence * 100)
    reason += "; \(confidence) % interval of the change \(MetricFormat.number(interval.lower))"
      + " … \(MetricFormat.number(interval.upper)) ms"
    let excludesZero = interval.lower > 0 || interval.upper < 0
    return EvidenceJudgement(
      aspect: .latencyP95, verdict: verdict(relative: relative, significant: excludesZero, settings: settings),
      baseline: p95Before, current: p95Now,
      reason: reason + (excludesZero ? "" : ": the frames cannot tell it from chance"))
  }

  /// The median of a handful of values (one per baseline run), sorted in place.
  private static func smallMedian(_ values: inout [Double]) -> Double {
    for i in 1..<max(values.count, 1) {
      var j = i
      while j > 0 && values[j - 1] > values[j] {
        values.swapAt(j - 1, j)
        j -= 1
      }
    }
    let mid = values.count / 2
    return values.count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
  }

  private static func verdict(
    relative: Double, significant: Bool, settings: ComparisonSettings
  ) -> EvidenceJudgement.Verdict {
    guard abs(relative) >= settings.latencyFloor else { return .unchanged }
    guard significant else { return .inconclusive }
    return relative > 0 ? .regression : .improvement
  }

  private static func floorNote(_ relative: Double, _ significant: Bool, _ settings: ComparisonSettings) -> String {
    guard abs(relative) < settings.latencyFloor else { return "" }
    let floor = EvidenceWording.percent(settings.latencyFloor).dropFirst()
    return significant
      ? ": real but smaller than the \(floor) that counts"
      : ": smaller than the \(floor) that counts"
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Judges peak RAM. The same firmware fed the same frames uses the same memory, so there is no
/// noise to test against: any increase past the tolerance is real. The baseline is the largest
/// peak of its runs, so only growth beyond everything seen before counts.
enum MemoryJudge {
  static func judge(
    _ current: TestEvidence, _ baselines: [TestEvidence], _ frames: AlignedFrames, settings: ComparisonSettings
  ) -> EvidenceJudgement {
    let runs = baselines.map(\.run)
    let against = EvidenceWording.against(runs)
    let peaks = baselines.compactMap { $0.metric(.ramPeak) }
    guard let now = current.metric(.ramPeak), let before = peaks.max() else {
      return EvidenceJudgement(
        aspect: .ramPeak, verdict: .inconclusive,
        reason: current.metric(.ramPeak) == nil
          ? "peak RAM was not measured now" : "peak RAM was not measured in \(against)")
    }
    let change = now - before
    var reason = "peak RAM \(MetricFormat.number(before)) → \(MetricFormat.number(now)) KiB "
      + "(\(EvidenceWording.signed(change, "KiB"))) against \(against)"
    if let spread = peaks.min(), before - spread > settings.ramToleranceKiB {
      reason += "; the baseline runs themselves differ by \(MetricFormat.number(before - spread)) KiB"
    }
    if change > settings.ramToleranceKiB {
      if let frame = firstFrameAbove(frames) {
        reason += "; stack + heap above the baseline's from frame \(frame)"
      }
      return EvidenceJudgement(aspect: .ramPeak, verdict: .regression, baseline: before, current: now, reason: reason)
    }
    if change < -settings.ramToleranceKiB {
      return EvidenceJudgement(aspect: .ramPeak, verdict: .improvement, baseline: before, current: now, reason: reason)
    }
    let tolerance = MetricFormat.number(settings.ramToleranceKiB)
    return EvidenceJudgement(
      aspect: .ramPeak, verdict: .unchanged, baseline: before, current: now,
      reason: reason + (change == 0 ? "" : ": within the \(tolerance) KiB tolerance"))
  }

  /// The first frame whose stack + heap is above the most any baseline run reported for it.
  private static func firstFrameAbove(_ frames: AlignedFrames) -> Int? {
    let current = frames.current
    let baseline = frames.aligned(\.stackHeap)
    var first: Int32?
    for i in current.indices where current.stackHeap[i] != FrameSeries.absent {
      var most: Int32?
      for run in baseline where run[i] != FrameSeries.absent { most = max(most ?? run[i], run[i]) }
      guard let most, current.stackHeap[i] > most else { continue }
      first = min(first ?? .max, current.frameIndices[i])
    }
    return first.map(Int.init)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Judges counts frame by frame: the same frames go in every night, and a counter is a
/// deterministic function of the bytes it reads, so a frame whose count changed changed for a
/// reason. Frames the baseline runs disagree on are unstable and left out; when there are any, the
/// counter is evidently not deterministic and the balance of worse and better frames must also
/// pass a sign test.
enum CountJudge {
  static func judge(
    _ frames: AlignedFrames, against runs: [String], settings: ComparisonSettings
  ) -> (EvidenceJudgement, [CountChange]) {
    let current = frames.current
    let baseline = frames.aligned(\.counts)
    var changes: [CountChange] = []
    var compared = 0
    var unstable = 0
    var exactNow = 0
    var exactBefore = 0
    for i in current.indices {
      let now = current.counts[i]
      guard now != FrameSeries.absent else { continue }
      // The baseline runs' count for this frame: one agreed value, none, or a disagreement.
      var agreed: Int32?
      var disagree = false
      for run in baseline where run[i] != FrameSeries.absent {
        if let value = agreed, value != run[i] { disagree = true }
        agreed = agreed ?? run[i]
      }
      guard let first = agreed else { continue }
      guard !disagree else {
        unstable += 1
        continue
      }
      compared += 1
      let label = Int(current.labels[i])
      if Int(now) == label { exactNow += 1 }
      if Int(first) == label { exactBefore += 1 }
      if now != first {
        changes.append(CountChange(
          frame: Int(current.frameIndices[i]), label: label, baseline: Int(first), current: Int(now)))
      }
    }
    changes.sort { $0.frame < $1.frame }
    let against = EvidenceWording.against(runs)
    guard compared > 0 else {
      let why = unstable > 0
        ? "the baseline runs disagree on the count of every frame counted now"
        : "no frame was counted both now and in the baseline"
      return (EvidenceJudgement(aspect: .counts, verdict: .inconclusive, reason: "\(why) (\(against))"), [])
    }
    let worse = changes.filter { $0.direction == .worse }
    let better = changes.filter { $0.direction == .better }
    let n = Double(compared)
    let before = Double(exactBefore) / n
    let now = Double(exactNow) / n
    let unstableNote = unstable > 0 ? "; \(unstable) frames left out, the baseline runs disagree on them" : ""
    func judgement(_ verdict: EvidenceJudgement.Verdict, _ reason: String, p: Double? = nil) -> EvidenceJudgement {
      EvidenceJudgement(aspect: .counts, verdict: verdict, baseline: before, current: now, pValue: p, reason: reason)
    }
    if worse.isEmpty && better.isEmpty {
      let sideways = changes.isEmpty ? "" : ", \(changes.count) changed count but not their error"
      return (judgement(.unchanged, "\(compared) frames counted as in \(against)\(sideways)\(unstableNote)"), changes)
    }
    let listed = { (list: [CountChange]) in
      EvidenceWording.list(list.map(\.description), limit: settings.framesListed)
    }
    var reason = "\(worse.count) frames counted worse, \(better.count) better than in \(against), of "
      + "\(compared) compared; exact match \(MetricFormat.number(before * 100)) % → \(MetricFormat.number(now * 100)) %"
    if !worse.isEmpty { reason += "; worse: frames " + listed(worse) }
    if !better.isEmpty { reason += "; better: frames " + listed(better) }
    reason += unstableNote
    // With a nondeterministic counter, the balance must beat a fair coin (two-sided sign test).
    var p: Double?
    if unstable > 0 {
      let tail = ProportionBounds.binomialUpperTail(
        atLeast: max(worse.count, better.count), of: worse.count + better.count, probability: 0.5)
      p = min(1, 2 * tail)
    }
    if worse.count == better.count || (p ?? 0) > settings.significance {
      return (judgement(.inconclusive, reason, p: p), changes)
    }
    return (judgement(worse.count > better.count ? .regression : .improvement, reason, p: p), changes)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Judges dropped and damaged frames as rates with a confidence bound: "0 of 1,000" is not
/// "never" (the rate may still be up to 0.38 %), and "1 of 1,000 against 0 of 1,000" is not yet a
/// regression. A rate is worse when the exact conditional binomial test says so and the change
/// is at least the rate floor; a change as large as the floor that the frames cannot confirm is
/// inconclusive.
enum FrameLossJudge {
  static func judge(
    _ aspect: EvidenceJudgement.Aspect, _ current: FrameSeries, _ baselines: [FrameSeries],
    against runs: [String], settings: ComparisonSettings
  ) -> EvidenceJudgement {
    let what = aspect == .dropped ? "dropped" : "damaged"
    func counted(_ finding: FrameOutcome.Finding) -> Bool {
      switch finding {
      case .missing, .dropped: aspect == .dropped
      case .damaged, .truncated, .badLength, .captureStuck: aspect == .damaged
      case .matched: false
      }
    }
    let k = current.findings.filter(counted).count
    let n = current.count
    let kb = baselines.reduce(0) { $0 + $1.findings.filter(counted).count }
    let nb = baselines.reduce(0) { $0 + $1.count }
    let against = EvidenceWording.against(runs)
    guard n > 0, nb > 0 else {
      return EvidenceJudgement(
        aspect: aspect, verdict: .inconclusive,
        reason: n == 0 ? "no frame was accounted for now" : "no frame was accounted for in \(against)")
    }
    let rate = Double(k) / Double(n)
    let baseRate = Double(kb) / Double(nb)
    let bound = ProportionBounds.wilson(events: k, trials: n)
    let baseBound = ProportionBounds.wilson(events: kb, trials: nb)
    let reason = "\(k) of \(n) frames \(what) (\(rateText(rate)), 95 % bound \(rangeText(bound))) against "
      + "\(kb) of \(nb) in \(against) (\(rateText(baseRate)), \(rangeText(baseBound)))"
    let worse = ProportionBounds.exceedancePValue(events: k, trials: n, baselineEvents: kb, baselineTrials: nb)
    let better = ProportionBounds.exceedancePValue(events: kb, trials: nb, baselineEvents: k, baselineTrials: n)
    let change = rate - baseRate
    let p = min(worse, better)
    func judgement(_ verdict: EvidenceJudgement.Verdict, _ note: String) -> EvidenceJudgement {
      EvidenceJudgement(
        aspect: aspect, verdict: verdict, baseline: baseRate, current: rate,
        pValue: k + kb > 0 ? p : nil, reason: reason + note)
    }
    if abs(change) < settings.rateFloor {
      return judgement(.unchanged, "")
    }
    if change > 0 && worse <= settings.significance {
      return judgement(.regression, "; \(EvidenceWording.p(worse))")
    }
    if change < 0 && better <= settings.significance {
      return judgement(.improvement, "; \(EvidenceWording.p(better))")
    }
    return judgement(.inconclusive, "; \(EvidenceWording.p(p)): too few frames to tell")
  }

  /// `0.1 %`: a rate as a percentage, to three decimals.
  static func rateText(_ rate: Double) -> String {
    MetricFormat.number(rate * 100) + " %"
  }

  /// `0 … 0.383 %`
  static func rangeText(_ range: ClosedRange<Double>) -> String {
    MetricFormat.number(range.lowerBound * 100) + " … " + rateText(range.upperBound)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Judges a finished test against its baseline: its relative limits (`"<= baseline * 1.05"`)
/// resolved with the baseline's figures, its limits on figures measured only against a baseline
/// (`frames.changed`), and the per-frame comparison (`TestComparison`) that says whether a
/// difference is real.
///
/// A relative limit fails the test when it is broken *and* the comparison of the same aspect
/// finds a regression: a p95 over `baseline * 1.05` that the paired comparison cannot tell from
/// noise is reported, not failed. A limit on a figure no comparison covers (`frames.changed`,
/// `count.mae`…) decides alone. Without a baseline the test says so and keeps only its absolute
/// limits, which the run already applied.
public enum BaselineVerdict {
  /// The aspect of the comparison that tells whether a change of `metric` is real, if any.
  public static func aspect(of metric: Metric) -> EvidenceJudgement.Aspect? {
    switch metric {
    case .countExactMatch, .countWithinOne, .countMAE, .countRMSE, .countMaxAbsError, .countBias,
      .lineInError, .lineOutError:
      .counts
    case .latencyP95: .latencyP95
    case .latencyP50, .latencyP99, .latencyMax, .latencyMean: .latency
    case .ramPeak: .ramPeak
    case .framesMissing: .dropped
    case .framesUnknown: .damaged
    case .framesDuplicated, .framesScored, .framesChanged: nil
    }
  }

  /// Whether a test is judged against a baseline at all.
  public static func applies(to test: TestResult) -> Bool {
    !(test.relativeLimits ?? []).isEmpty || (test.limits ?? []).contains { $0.metric.needsBaseline }
  }

  /// `result` with its baseline judgement: the comparison recorded, `frames.changed` among its
  /// metrics, and failed (with what regressed, where, by how much, against which run) when a
  /// baseline limit broke. Without `comparison`, the warning `missing` is recorded instead.
  public static func apply(to result: TestResult, comparison: TestComparison?, missing: String) -> TestResult {
    var result = result
    guard applies(to: result), result.verdict == .passed || result.verdict == .failed else { return result }
    guard let comparison else {
      result.baselineWarning = "no baseline: \(missing); relative limits not applied, absolute limits were"
      result.details = [result.details, "warning: \(result.baselineWarning!)"].compactMap { $0 }.joined(separator: "\n")
      return result
    }
    result.comparison = comparison
    result.metrics += comparison.metrics.filter { m in !result.metrics.contains { $0.metric == m.metric } }
    var failures: [String] = []
    var notes: [String] = []
    // Each limit with its bound as a reader wants it: `<= baseline * 1.05 = 37.691`, `== 0`.
    let relative = (result.relativeLimits ?? []).compactMap { limit in
      limit.resolved(against: comparison.baselineMetrics).map {
        ("\(limit.comparison.rawValue) \(limit.expression) = \(MetricFormat.number($0.threshold))", $0)
      }
    }
    let plain = (result.limits ?? []).filter(\.metric.needsBaseline).map {
      ("\($0.comparison.rawValue) \(MetricFormat.number($0.threshold))", $0)
    }
    for (bound, limit) in relative + plain {
      guard let violation = Evaluator.violation(of: limit, in: result.metrics) else { continue }
      let measured = violation.actual.map(MetricFormat.number) ?? "not measured"
      let judgement = aspect(of: limit.metric).flatMap { comparison.judgement($0) }
      if let judgement, judgement.verdict != .regression {
        notes.append(
          "\(limit.metric.rawValue) = \(measured) breaks \(bound), but the comparison finds it "
            + "\(judgement.verdict.rawValue): \(judgement.reason)")
        continue
      }
      let why = judgement.map { ": \($0.reason)" } ?? countChangeText(comparison)
      failures.append("\(limit.metric.rawValue) = \(measured) (limit \(bound)) against \(EvidenceWording.against(comparison.baselineRuns))\(why)")
    }
    if !failures.isEmpty {
      result.verdict = .failed
      result.errorType = result.errorType ?? "Regression"
      result.message = failures.count == 1 && result.violations.isEmpty
        ? failures[0]
        : ([result.message].compactMap { $0 } + failures).joined(separator: "; ")
    }
    let lines = failures + notes.map { "note: \($0)" }
    if !lines.isEmpty {
      result.details = ([result.details].compactMap { $0 } + lines).joined(separator: "\n")
    }
    return result
  }

  /// `: frames 12 (label 2: 2 → 1), 31 (…)` for a limit on changed frames.
  private static func countChangeText(_ comparison: TestComparison) -> String {
    guard !comparison.countChanges.isEmpty else { return "" }
    let listed = comparison.countChanges.prefix(8).map(\.description).joined(separator: ", ")
    let more = comparison.countChanges.count > 8 ? " and \(comparison.countChanges.count - 8) more" : ""
    return ": frames \(listed)\(more)"
  }
}

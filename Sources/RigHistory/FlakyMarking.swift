// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// Decides, as a run is recorded, which of its tests history marks flaky: those that passed
/// only on retry, and those whose verdict differs from an earlier run that fed the same firmware
/// the same clip (same `EvidenceIdentity`) on the same suite and rig — nothing about the product
/// changed, so the difference is the test's or the bench's.
public enum FlakyMarking {
  /// Why each flaky test of `record` is flaky, by test name.
  public static func reasons(for record: RunRecord, in store: HistoryStore) throws -> [String: String] {
    let run = record.run
    let earlier = try store.outcomes(suite: run.suite)
      .filter { $0.rig == run.rig }
    var byTest: [String: [TestOutcome]] = [:]
    for history in earlier { byTest[history.test] = history.outcomes }
    var reasons: [String: String] = [:]
    for test in record.evidence {
      if let reason = reason(for: test.outcome, earlier: byTest[test.test] ?? []) {
        reasons[test.test] = reason
      }
    }
    return reasons
  }

  /// Why `outcome` is flaky given the same test's `earlier` outcomes, or nil.
  public static func reason(for outcome: TestOutcome, earlier: [TestOutcome]) -> String? {
    if outcome.passedOnRetry { return "passed only on retry" }
    guard outcome.verdict != .skipped, !outcome.identity.firmwareHash.isEmpty else { return nil }
    let flip = earlier.last { previous in
      previous.run != outcome.run && previous.identity == outcome.identity
        && previous.verdict != .skipped && previous.verdict != outcome.verdict
    }
    guard let flip else { return nil }
    return "\(outcome.verdict.rawValue) here, \(flip.verdict.rawValue) in run \(flip.run) "
      + "with the same firmware and clip"
  }
}

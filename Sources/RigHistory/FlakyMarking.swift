// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// Decides, as a run is recorded, which of its tests history marks flaky (`FlakyTests`): those
/// that passed only on retry, and those whose verdict differs from an earlier run on the same
/// suite and rig that fed the same firmware the same clip — nothing about the product changed,
/// so the difference is the test's or the bench's.
public enum FlakyMarking {
  /// Why each flaky test of `record` is flaky, by test name.
  public static func reasons(for record: RunRecord, in store: HistoryStore) throws -> [String: String] {
    let run = record.run
    var earlier: [String: [TestOutcome]] = [:]
    // Only runs of the same firmware can show a flip; a retry needs no history at all.
    for history in try store.outcomes(suite: run.suite, firmwareKey: record.firmwareKey ?? "") where history.rig == run.rig {
      earlier[history.test] = history.outcomes.filter { $0.run != run.runID }
    }
    var reasons: [String: String] = [:]
    for test in record.evidence {
      let current = test.outcome
      let findings = FlakyTests.find(in: (earlier[test.test] ?? []) + [current]).filter {
        $0.kind == .passedOnRetry ? $0.runs == [current.run] : $0.identity == current.identity
      }
      if !findings.isEmpty { reasons[test.test] = findings.map(\.reason).joined(separator: "; ") }
    }
    return reasons
  }
}

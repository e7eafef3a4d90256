// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// Which recorded runs a run's tests are compared with, in order of precedence:
///
/// 1. the baseline asked for (`--baseline NAME` or a run id);
/// 2. the baseline of the suite and rig (`rig baseline set RUN`, named `<suite>@<rig>`);
/// 3. the automatic baseline: each test's newest passing run on the same suite and rig with a
///    firmware flagged good.
///
/// A baseline test that played another clip (its clip hash differs) is no baseline: its frames
/// are not the same frames.
public struct BaselineChoice: Sendable {
  /// For each test with a baseline: the baseline's evidence, newest first.
  public var byTest: [String: [TestEvidence]]
  /// Where the baseline came from, for reports: `baseline 'release-1.4' (run …)`, `automatic`.
  public var description: String
  /// Tests that have no baseline, and why.
  public var missing: [String: String]

  public init(byTest: [String: [TestEvidence]], description: String, missing: [String: String]) {
    self.byTest = byTest
    self.description = description
    self.missing = missing
  }

  public static func defaultName(suite: String, rig: String) -> String { "\(suite)@\(rig)" }

  /// The baselines for `tests` (name and clip hash) of a run of `suite` on `rig`.
  public static func resolve(
    in store: HistoryStore, suite: String, rig: String, tests: [(name: String, clipHash: String?)],
    requested: String? = nil, excludingRun: String? = nil, automaticCount: Int = 5
  ) throws -> BaselineChoice {
    var runID: String?
    var description = "automatic (last passing runs with a firmware flagged good)"
    if let requested {
      if let named = try store.baselineRun(named: requested) {
        runID = named
        description = "baseline '\(requested)' (run \(named))"
      } else if try store.contains(runID: requested) {
        runID = requested
        description = "run \(requested)"
      } else {
        throw RigError(
          .usage,
          "no baseline or run named '\(requested)' in \(store.url.displayPath): "
            + "see 'rig baseline list' and 'rig history list'")
      }
    } else if let named = try store.baselineRun(named: defaultName(suite: suite, rig: rig)) {
      runID = named
      description = "baseline '\(defaultName(suite: suite, rig: rig))' (run \(named))"
    }
    var choice = BaselineChoice(byTest: [:], description: description, missing: [:])
    if let runID {
      let evidence = Dictionary(
        try store.evidence(of: runID).map { ($0.test, $0) }, uniquingKeysWith: { a, _ in a })
      for test in tests {
        guard let found = evidence[test.name] else {
          choice.missing[test.name] = "baseline run \(runID) has no test '\(test.name)'"
          continue
        }
        if let hash = test.clipHash, !found.identity.clipHash.isEmpty, found.identity.clipHash != hash {
          choice.missing[test.name] = "baseline run \(runID) played another clip (its frames or labels changed)"
          continue
        }
        choice.byTest[test.name] = [found]
      }
      return choice
    }
    for test in tests {
      let found = try store.automaticBaseline(
        suite: suite, rig: rig, test: test.name, clipHash: test.clipHash, count: automaticCount,
        excludingRun: excludingRun)
      if found.isEmpty {
        choice.missing[test.name] =
          "no passing run of this test with a firmware flagged good yet "
          + "(flag one with 'rig history mark-good RUN', or name one with 'rig baseline set RUN')"
      } else {
        choice.byTest[test.name] = found
      }
    }
    return choice
  }
}

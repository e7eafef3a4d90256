// SPDX-License-Identifier: Apache-2.0

/// A whole run against its baselines, test by test (`rig compare`).
public struct RunComparison: Sendable, Equatable, Codable {
  public var run: String
  public var tests: [TestComparison]
  /// Tests of the run with no baseline to compare with.
  public var withoutBaseline: [String]

  /// - Parameter baselines: for each test name, the baseline runs' evidence of that test.
  public init(
    run: String, tests: [TestEvidence], baselines: [String: [TestEvidence]],
    settings: ComparisonSettings = ComparisonSettings()
  ) {
    self.run = run
    var compared: [TestComparison] = []
    var missing: [String] = []
    for test in tests {
      guard let baseline = baselines[test.test], !baseline.isEmpty else {
        missing.append(test.test)
        continue
      }
      compared.append(TestComparison(test, against: baseline, settings: settings))
    }
    self.tests = compared
    withoutBaseline = missing
  }

  /// The worst verdict of any test; unchanged for a run with nothing compared.
  public var verdict: EvidenceJudgement.Verdict { tests.map(\.verdict).max() ?? .unchanged }

  public var regressions: [TestComparison] { tests.filter { $0.verdict == .regression } }
}

// SPDX-License-Identifier: Apache-2.0

/// What history adds to a run's page: for each test, its comparison with a baseline and each
/// metric over the last nightlies. Empty when the run has no history.
public struct ReportHistory: Sendable, Equatable {
  public struct Test: Sendable, Equatable {
    /// The test against its baseline, when one was found.
    public var comparison: TestComparison?
    /// Each metric over the test's latest runs on the same suite and rig, oldest first, this run
    /// last; nil where a run did not measure it.
    public var trends: [Metric: [Double?]]

    public init(comparison: TestComparison? = nil, trends: [Metric: [Double?]] = [:]) {
      self.comparison = comparison
      self.trends = trends
    }

    var isEmpty: Bool { comparison == nil && trends.isEmpty }
  }

  /// By test name.
  public var tests: [String: Test]

  public init(tests: [String: Test] = [:]) {
    self.tests = tests
  }

  public static let none = ReportHistory()
}

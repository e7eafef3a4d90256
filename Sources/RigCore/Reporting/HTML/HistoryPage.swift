// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What `rig history html` shows: the latest runs, and each test's headline metrics across the
/// nightlies with their change points and flaky flips. The CLI fills it from the history store;
/// `HistoryPageRenderer` draws it.
public struct HistoryPage: Sendable, Equatable {
  public struct Run: Sendable, Equatable {
    public var runID: String
    public var suite: String
    public var rig: String
    public var startedAt: Date
    public var exitStatus: Int32
    public var tests: Int
    public var failed: Int
    public var errored: Int
    public var firmware: String?
    public var commit: String?

    public init(
      runID: String, suite: String, rig: String, startedAt: Date, exitStatus: Int32, tests: Int, failed: Int,
      errored: Int, firmware: String? = nil, commit: String? = nil
    ) {
      self.runID = runID
      self.suite = suite
      self.rig = rig
      self.startedAt = startedAt
      self.exitStatus = exitStatus
      self.tests = tests
      self.failed = failed
      self.errored = errored
      self.firmware = firmware
      self.commit = commit
    }
  }

  /// Where a series changed level (`ChangePoints.Change`): from the run at `index` on.
  public struct Change: Sendable, Equatable {
    public var index: Int
    public var before: Double
    public var after: Double
    public var confidence: Double

    public init(index: Int, before: Double, after: Double, confidence: Double) {
      self.index = index
      self.before = before
      self.after = after
      self.confidence = confidence
    }
  }

  /// A run in which history found the test flaky, and why.
  public struct Flip: Sendable, Equatable {
    public var run: String
    public var reason: String

    public init(run: String, reason: String) {
      self.run = run
      self.reason = reason
    }
  }

  /// One metric of one test on one rig, oldest run first.
  public struct Series: Sendable, Equatable {
    public var suite: String
    public var rig: String
    public var test: String
    public var metric: Metric
    public var runs: [String]
    public var values: [Double]
    public var changes: [Change]
    public var flips: [Flip]

    public init(
      suite: String, rig: String, test: String, metric: Metric, runs: [String], values: [Double],
      changes: [Change] = [], flips: [Flip] = []
    ) {
      self.suite = suite
      self.rig = rig
      self.test = test
      self.metric = metric
      self.runs = runs
      self.values = values
      self.changes = changes
      self.flips = flips
    }
  }

  /// The database shown, as the user named it.
  public var source: String
  /// Runs recorded in all.
  public var runCount: Int
  /// The latest runs, newest first.
  public var runs: [Run]
  public var series: [Series]
  /// Each run's report.html relative to the page, where its folder is known and still there.
  public var reports: [String: String]

  public init(source: String, runCount: Int, runs: [Run], series: [Series], reports: [String: String] = [:]) {
    self.source = source
    self.runCount = runCount
    self.runs = runs
    self.series = series
    self.reports = reports
  }
}

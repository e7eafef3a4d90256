// SPDX-License-Identifier: Apache-2.0
import Foundation
import GRDB
import RigCore

/// History read across runs: each test's metrics night after night (for change-point search)
/// and its verdicts (for flaky detection).
extension HistoryStore {
  /// One metric of one test over the runs of a suite, oldest first.
  public struct MetricSeries: Sendable, Equatable {
    public var suite: String
    public var rig: String
    public var test: String
    public var metric: Metric
    /// Run ids, oldest first, parallel to `values`.
    public var runs: [String]
    public var values: [Double]
  }

  /// Every metric series of the suites (and tests, and metric) asked for. Runs of different rigs
  /// are separate series: two boards differ.
  public func metricSeries(suite: String? = nil, test: String? = nil, metrics: Set<Metric>? = nil) throws
    -> [MetricSeries]
  {
    try read("read") { db in
      var sql = """
        SELECT run.run_id, run.suite, run.rig, test.name, test.metrics FROM test
        JOIN run ON test.run = run.id WHERE 1
        """
      let arguments = Self.narrow(&sql, suite: suite, test: test)
      var order: [String] = []
      var series: [String: MetricSeries] = [:]
      let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
      while let row = try rows.next() {
        let runID: String = row[0]
        let suiteName: String = row[1]
        let rig: String = row[2]
        let testName: String = row[3]
        for value in MetricsBlob.decode(row[4]) where metrics?.contains(value.metric) ?? true {
          let key = "\(suiteName)\u{0}\(rig)\u{0}\(testName)\u{0}\(value.metric.rawValue)"
          if series[key] == nil {
            order.append(key)
            series[key] = MetricSeries(
              suite: suiteName, rig: rig, test: testName, metric: value.metric, runs: [], values: [])
          }
          series[key]!.runs.append(runID)
          series[key]!.values.append(value.value)
        }
      }
      return order.map { series[$0]! }
    }
  }

  /// A test's verdicts in every recorded run, oldest first, with what it was fed.
  public struct TestHistory: Sendable, Equatable {
    public var suite: String
    public var rig: String
    public var test: String
    public var outcomes: [TestOutcome]
  }

  /// Each test's verdicts over the runs of a suite (or all suites), of one firmware build when
  /// `firmwareKey` is given.
  public func outcomes(suite: String? = nil, test: String? = nil, firmwareKey: String? = nil) throws
    -> [TestHistory]
  {
    try read("read") { db in
      var sql = """
        SELECT run.run_id, run.suite, run.rig, run.firmware_key, test.name, test.verdict,
          test.passed_on_retry, test.clip_hash FROM test JOIN run ON test.run = run.id WHERE 1
        """
      let arguments = Self.narrow(&sql, suite: suite, test: test, firmwareKey: firmwareKey)
      var order: [String] = []
      var histories: [String: TestHistory] = [:]
      for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
        let suiteName: String = row["suite"]
        let rig: String = row["rig"]
        let name: String = row["name"]
        let key = "\(suiteName)\u{0}\(rig)\u{0}\(name)"
        if histories[key] == nil {
          order.append(key)
          histories[key] = TestHistory(suite: suiteName, rig: rig, test: name, outcomes: [])
        }
        histories[key]!.outcomes.append(
          TestOutcome(
            run: row["run_id"],
            identity: EvidenceIdentity(
              firmwareHash: row["firmware_key"] ?? "", clipHash: row["clip_hash"] ?? ""),
            verdict: Verdict(rawValue: row["verdict"]) ?? .errored, passedOnRetry: row["passed_on_retry"]))
      }
      return order.map { histories[$0]! }
    }
  }

  /// Tests history marked flaky when they were recorded, newest first.
  public struct FlakyMark: Sendable, Codable, Equatable {
    public var runID: String
    public var suite: String
    public var rig: String
    public var test: String
    public var reason: String
  }

  public func flakyMarks(suite: String? = nil) throws -> [FlakyMark] {
    try read("read") { db in
      var sql = """
        SELECT run.run_id, run.suite, run.rig, test.name, test.flaky FROM test JOIN run ON test.run = run.id
        WHERE test.flaky IS NOT NULL
        """
      var arguments: StatementArguments = []
      if let suite {
        sql += " AND run.suite = ?"
        arguments += [suite]
      }
      sql += " ORDER BY run.started_at DESC, run.id DESC, test.position"
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
        FlakyMark(runID: $0["run_id"], suite: $0["suite"], rig: $0["rig"], test: $0["name"], reason: $0["flaky"])
      }
    }
  }

  /// Adds the filters given to a query over `test JOIN run … WHERE 1`, then its order (oldest run
  /// first, tests in suite order); returns the filters' arguments.
  private static func narrow(
    _ sql: inout String, suite: String?, test: String?, firmwareKey: String? = nil
  ) -> StatementArguments {
    var arguments: StatementArguments = []
    for (column, value) in [("run.suite", suite), ("test.name", test), ("run.firmware_key", firmwareKey)] {
      guard let value else { continue }
      sql += " AND \(column) = ?"
      arguments += [value]
    }
    sql += " ORDER BY run.started_at, run.id, test.position"
    return arguments
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import GRDB
import RigCore

extension HistoryStore {
  /// What to list: runs of a suite, on a rig, newest first, at most `limit`.
  public struct RunFilter: Sendable {
    public var suite: String?
    public var rig: String?
    public var limit: Int?
    public init(suite: String? = nil, rig: String? = nil, limit: Int? = nil) {
      self.suite = suite
      self.rig = rig
      self.limit = limit
    }
  }

  /// Recorded runs, newest first.
  public func runs(_ filter: RunFilter = RunFilter()) throws -> [StoredRun] {
    try read("read") { db in
      var sql = "SELECT * FROM run WHERE 1"
      var arguments: StatementArguments = []
      if let suite = filter.suite {
        sql += " AND suite = ?"
        arguments += [suite]
      }
      if let rig = filter.rig {
        sql += " AND rig = ?"
        arguments += [rig]
      }
      sql += " ORDER BY started_at DESC, id DESC"
      if let limit = filter.limit { sql += " LIMIT \(max(0, limit))" }
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try Self.storedRun($0, db) }
    }
  }

  /// The run recorded under `runID`, or nil.
  public func run(_ runID: String) throws -> StoredRun? {
    try read("read") { db in
      try Row.fetchOne(db, sql: "SELECT * FROM run WHERE run_id = ?", arguments: [runID])
        .map { try Self.storedRun($0, db) }
    }
  }

  /// The tests of a recorded run, in run order.
  public func tests(of runID: String) throws -> [StoredTest] {
    try read("read") { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT test.* FROM test JOIN run ON test.run = run.id WHERE run.run_id = ?
          ORDER BY test.position
          """, arguments: [runID])
      return try rows.map { row in
        let frames: Data? = row["frames"]
        return StoredTest(
          name: row["name"], verdict: Verdict(rawValue: row["verdict"]) ?? .errored,
          passedOnRetry: row["passed_on_retry"], flaky: row["flaky"], message: row["message"],
          clipHash: row["clip_hash"], limits: try Self.limits(row["limits"]),
          metrics: MetricsBlob.decode(row["metrics"]),
          frames: try frames.map { try FrameSeries(compactData: $0).count } ?? 0)
      }
    }
  }

  /// Every test of a recorded run as evidence (metrics and frames), in run order.
  public func evidence(of runID: String) throws -> [TestEvidence] {
    try read("read") { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT run.run_id, run.firmware_key, test.* FROM test JOIN run ON test.run = run.id
          WHERE run.run_id = ? ORDER BY test.position
          """, arguments: [runID])
      return try rows.map { try Self.evidence($0) }
    }
  }

  static func evidence(_ row: Row) throws -> TestEvidence {
    let frames: Data? = row["frames"]
    return TestEvidence(
      run: row["run_id"], test: row["name"],
      identity: EvidenceIdentity(firmwareHash: row["firmware_key"] ?? "", clipHash: row["clip_hash"] ?? ""),
      verdict: Verdict(rawValue: row["verdict"]) ?? .errored, passedOnRetry: row["passed_on_retry"],
      metrics: MetricsBlob.decode(row["metrics"]),
      frames: try frames.map { try FrameSeries(compactData: $0) } ?? FrameSeries())
  }

  /// Deletes runs older than `before`, or all but the newest `keep` of each suite and rig;
  /// runs named as baselines are kept. Returns the ids of the runs deleted (all of them when
  /// `dryRun`, without deleting).
  public func prune(before: Date? = nil, keep: Int? = nil, dryRun: Bool = false) throws -> [String] {
    try write("prune") { db in
      var doomed: [(Int64, String)] = []
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT id, run_id, suite, rig, started_at FROM run
          WHERE id NOT IN (SELECT run FROM baseline) ORDER BY started_at DESC, id DESC
          """)
      var seen: [String: Int] = [:]
      for row in rows {
        let key = "\(row["suite"] as String)\u{0}\(row["rig"] as String)"
        seen[key, default: 0] += 1
        let tooOld = before.map { (row["started_at"] as Double) < $0.timeIntervalSince1970 } ?? false
        let beyond = keep.map { seen[key]! > $0 } ?? false
        if tooOld || beyond { doomed.append((row["id"], row["run_id"])) }
      }
      if !dryRun {
        for (id, _) in doomed { try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id]) }
      }
      return doomed.map(\.1)
    }
  }

  static func storedRun(_ row: Row, _ db: Database) throws -> StoredRun {
    var run = StoredRun(
      runID: row["run_id"], suite: row["suite"], rig: row["rig"],
      startedAt: Date(timeIntervalSince1970: row["started_at"]), duration: row["duration"],
      exitStatus: Int32(row["exit_status"] as Int), tests: row["tests"], failed: row["failed"],
      errored: row["errored"], source: row["source"])
    run.boardModel = row["board_model"]
    run.boardID = row["board_id"]
    run.host = row["host"]
    run.firmwareHash = row["firmware_hash"]
    run.firmwareKey = row["firmware_key"]
    run.firmwareVersion = row["firmware_version"]
    run.modelCRC = row["model_crc"]
    run.suiteHash = row["suite_hash"]
    run.rigHash = row["rig_hash"]
    run.commit = row["vcs_commit"]
    run.ciBuild = row["ci_build"]
    run.seed = row["seed"]
    run.interruption = row["interruption"]
    let id: Int64 = row["id"]
    run.properties = try Row.fetchAll(
      db, sql: "SELECT name, value FROM run_property WHERE run = ? ORDER BY position", arguments: [id]
    ).map { RunResult.Property($0["name"], $0["value"]) }
    run.baselineNames = try String.fetchAll(
      db, sql: "SELECT name FROM baseline WHERE run = ? ORDER BY name", arguments: [id])
    if let key = run.firmwareKey {
      run.firmwareGood =
        try Int.fetchOne(db, sql: "SELECT 1 FROM good_firmware WHERE firmware_key = ?", arguments: [key]) != nil
    }
    return run
  }

  static func limits(_ json: String?) throws -> [Limit] {
    guard let json else { return [] }
    return try JSONDecoder().decode([Limit].self, from: Data(json.utf8))
  }
}

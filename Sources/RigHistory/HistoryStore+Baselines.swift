// SPDX-License-Identifier: Apache-2.0
import Foundation
import GRDB
import RigCore

/// Baselines: what a run is compared with. A named baseline is a run someone chose
/// (`rig baseline set RUN --name release-1.4`); the automatic baseline of a test is its last
/// passing runs on the same suite and rig with a firmware flagged good (`rig history mark-good`),
/// so a regressed image never becomes the yardstick by merely having run.
extension HistoryStore {
  public struct NamedBaseline: Sendable, Codable, Equatable {
    public var name: String
    public var runID: String
    public var suite: String
    public var rig: String
    public var createdAt: Date
  }

  /// Names `runID` as a baseline (replacing an earlier baseline of that name).
  public func setBaseline(name: String, runID: String) throws {
    try write("set a baseline in") { db in
      guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM run WHERE run_id = ?", arguments: [runID]) else {
        throw RigError(.usage, "no run '\(runID)' in history \(self.url.displayPath): see 'rig history list'")
      }
      try db.execute(
        sql: "INSERT OR REPLACE INTO baseline (name, run, created_at) VALUES (?, ?, ?)",
        arguments: [name, id, Date().timeIntervalSince1970])
    }
  }

  /// Removes a named baseline (the run stays). Returns false when there was none.
  public func removeBaseline(name: String) throws -> Bool {
    try write("remove a baseline from") { db in
      try db.execute(sql: "DELETE FROM baseline WHERE name = ?", arguments: [name])
      return db.changesCount > 0
    }
  }

  public func baselines() throws -> [NamedBaseline] {
    try read("read") { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT baseline.name, baseline.created_at, run.run_id, run.suite, run.rig FROM baseline
          JOIN run ON baseline.run = run.id ORDER BY baseline.name
          """
      ).map {
        NamedBaseline(
          name: $0["name"], runID: $0["run_id"], suite: $0["suite"], rig: $0["rig"],
          createdAt: Date(timeIntervalSince1970: $0["created_at"]))
      }
    }
  }

  /// The run a baseline name stands for, or nil.
  public func baselineRun(named name: String) throws -> String? {
    try read("read") { db in
      try String.fetchOne(
        db, sql: "SELECT run.run_id FROM baseline JOIN run ON baseline.run = run.id WHERE baseline.name = ?",
        arguments: [name])
    }
  }

  /// Flags the firmware build `runID` ran (image hash and version) as good. Returns its key.
  @discardableResult
  public func markGood(runID: String) throws -> String {
    try write("mark a firmware good in") { db in
      guard let row = try Row.fetchOne(db, sql: "SELECT firmware_key FROM run WHERE run_id = ?", arguments: [runID])
      else {
        throw RigError(.usage, "no run '\(runID)' in history \(self.url.displayPath): see 'rig history list'")
      }
      guard let hash: String = row["firmware_key"], !hash.isEmpty else {
        throw RigError(.usage, "run '\(runID)' has no firmware image hash (its board never booted): nothing to mark")
      }
      try db.execute(
        sql: "INSERT OR REPLACE INTO good_firmware (firmware_key, marked_at, run_id) VALUES (?, ?, ?)",
        arguments: [hash, Date().timeIntervalSince1970, runID])
      return hash
    }
  }

  /// Unflags a firmware build (its key, as `markGood` returns it). Returns false when it was not
  /// flagged.
  public func unmarkGood(firmwareKey: String) throws -> Bool {
    try write("unmark a firmware in") { db in
      try db.execute(sql: "DELETE FROM good_firmware WHERE firmware_key = ?", arguments: [firmwareKey])
      return db.changesCount > 0
    }
  }

  /// The automatic baseline of one test: its newest `count` passing runs on `suite` and `rig`
  /// with a firmware flagged good, and the same clip (`clipHash`, when given), newest first,
  /// excluding `excludingRun` (the run being judged).
  public func automaticBaseline(
    suite: String, rig: String, test: String, clipHash: String?, count: Int, excludingRun: String? = nil
  ) throws -> [TestEvidence] {
    try read("read") { db in
      var sql = """
        SELECT run.run_id, run.firmware_key, test.* FROM test JOIN run ON test.run = run.id
        WHERE run.suite = ? AND run.rig = ? AND test.name = ? AND test.verdict = 'passed'
          AND run.firmware_key IN (SELECT firmware_key FROM good_firmware)
        """
      var arguments: StatementArguments = [suite, rig, test]
      if let clipHash {
        sql += " AND test.clip_hash = ?"
        arguments += [clipHash]
      }
      if let excludingRun {
        sql += " AND run.run_id != ?"
        arguments += [excludingRun]
      }
      sql += " ORDER BY run.started_at DESC, run.id DESC LIMIT \(max(0, count))"
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try Self.evidence($0) }
    }
  }
}

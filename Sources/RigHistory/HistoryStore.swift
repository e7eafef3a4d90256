// SPDX-License-Identifier: Apache-2.0
import Foundation
import GRDB
import RigCore

/// The run history: what every recorded run was, what each of its tests measured, frame by
/// frame. It stores and reads; judging (comparison, trends, flakiness) is `Evidence/`'s.
public final class HistoryStore: Sendable {
  public let url: URL
  let queue: DatabaseQueue
  let timeout: Double

  /// Opens (and, for `create`, creates) the history at `url`. See `HistoryDatabase` for the
  /// errors.
  public init(url: URL, create: Bool, timeout: Double = HistoryDatabase.busyTimeout()) throws {
    self.url = url
    self.timeout = timeout
    queue = try HistoryDatabase.open(url, create: create, timeout: timeout)
  }

  /// Runs `body` in a read transaction, turning SQLite's errors into rig's.
  func read<T: Sendable>(_ action: String, _ body: @Sendable (Database) throws -> T) throws -> T {
    do {
      return try queue.read(body)
    } catch {
      throw HistoryFailure.describe(error, url: url, doing: action, timeout: timeout)
    }
  }

  /// Runs `body` in one write transaction (all or nothing), turning SQLite's errors into rig's.
  func write<T: Sendable>(_ action: String, _ body: @Sendable (Database) throws -> T) throws -> T {
    do {
      return try queue.write(body)
    } catch {
      throw HistoryFailure.describe(error, url: url, doing: action, timeout: timeout)
    }
  }

  public enum RecordOutcome: Sendable, Equatable {
    case recorded
    /// A run with this id is in history already (importing twice records once).
    case alreadyRecorded
  }

  /// Records a run, in one transaction. `flaky` gives, by test name, why a test is flaky.
  @discardableResult
  public func record(_ record: RunRecord, flaky: [String: String] = [:]) throws -> RecordOutcome {
    let run = record.run
    let exitStatus = ExitStatus(run: run).rawValue
    let source = record.folder.displayPath
    return try write("record run \(run.runID) into") { db in
      if try Int.fetchOne(db, sql: "SELECT 1 FROM run WHERE run_id = ?", arguments: [run.runID]) != nil {
        return .alreadyRecorded
      }
      func property(_ name: String) -> String? { run.properties.first { $0.name == name }?.value }
      try db.execute(
        sql: """
          INSERT INTO run (run_id, suite, rig, board_model, board_id, host, firmware_hash, firmware_key,
            firmware_version, model_crc, suite_hash, rig_hash, vcs_commit, ci_build, seed, started_at,
            duration, interruption, exit_status, tests, failed, errored, recorded_at, source)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          run.runID, run.suite, run.rig, property("rig.board"), property("board.id"),
          property("host.name"), property("fw.image_hash"), record.firmwareKey, property("fw.version"),
          property("fw.model_crc"), property("suite.file_sha256"), property("rig.file_sha256"),
          property("vcs.commit"), property("ci.build_id"), property("sim.seed"),
          run.startedAt.timeIntervalSince1970, run.duration, run.interruption, Int(exitStatus),
          run.tests.count, run.count(.failed), run.count(.errored), Date().timeIntervalSince1970,
          source,
        ])
      let rowID = db.lastInsertedRowID
      for (position, p) in run.properties.enumerated() {
        try db.execute(
          sql: "INSERT INTO run_property (run, position, name, value) VALUES (?, ?, ?, ?)",
          arguments: [rowID, position, p.name, p.value])
      }
      let limitsEncoder = JSONEncoder()
      limitsEncoder.outputFormatting = [.sortedKeys]
      for (position, test) in run.tests.enumerated() {
        let limits = try test.limits.map { String(decoding: try limitsEncoder.encode($0), as: UTF8.self) }
        try db.execute(
          sql: """
            INSERT INTO test (run, position, name, verdict, passed_on_retry, flaky, message, clip_hash,
              limits, metrics, frames)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            rowID, position, test.name, test.verdict.rawValue, test.isFlaky, flaky[test.name],
            test.message, test.clipHash, limits, MetricsBlob.encode(test.metrics),
            record.frames[test.name]?.compactData(),
          ])
      }
      return .recorded
    }
  }

  /// Folds the write-ahead log into the database file (after a prune, or to measure its size).
  public func checkpoint() throws {
    do {
      try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    } catch {
      throw HistoryFailure.describe(error, url: url, doing: "checkpoint", timeout: timeout)
    }
  }

  /// Whether a run with this id is recorded.
  public func contains(runID: String) throws -> Bool {
    try read("read") { db in
      try Int.fetchOne(db, sql: "SELECT 1 FROM run WHERE run_id = ?", arguments: [runID]) != nil
    }
  }
}

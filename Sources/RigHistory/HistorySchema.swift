// SPDX-License-Identifier: Apache-2.0
import GRDB

/// The tables of a history database, as versioned migrations. A migration, once released, is
/// never edited: a change of schema is a new migration appended here, with a test that opens a
/// database of the previous version (HistoryMigrationTests).
///
/// - `run`: one row per recorded run, with the identity columns history queries by; every other
///   identity property is in `run_property`.
/// - `test`: one row per test of a run: verdict, flakiness, clip hash, the limits it was judged
///   by, its metrics (`MetricsBlob`) and its per-frame results (`FrameSeries` compact bytes).
/// - `baseline`: named runs (`rig baseline set`).
/// - `good_firmware`: firmware builds (`EvidenceIdentity.firmwareKey`: image hash and version)
///   flagged good (`rig history mark-good`), which automatic
///   baselines are drawn from.
enum HistorySchema {
  /// Written to the SQLite header (`PRAGMA application_id`), so a history is told apart from
  /// any other SQLite file: "RIGH".
  static let applicationID: Int32 = 0x5249_4748

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: runs, tests, baselines") { db in
      try db.execute(
        sql: """
          CREATE TABLE run (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL UNIQUE,
            suite TEXT NOT NULL,
            rig TEXT NOT NULL,
            board_model TEXT,
            board_id TEXT,
            host TEXT,
            firmware_hash TEXT,
            firmware_key TEXT,
            firmware_version TEXT,
            model_crc TEXT,
            suite_hash TEXT,
            rig_hash TEXT,
            vcs_commit TEXT,
            ci_build TEXT,
            seed TEXT,
            started_at REAL NOT NULL,
            duration REAL NOT NULL,
            interruption TEXT,
            exit_status INTEGER NOT NULL,
            tests INTEGER NOT NULL,
            failed INTEGER NOT NULL,
            errored INTEGER NOT NULL,
            recorded_at REAL NOT NULL,
            source TEXT NOT NULL
          );
          CREATE INDEX run_by_suite ON run(suite, rig, started_at);
          CREATE TABLE run_property (
            run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run, position)
          ) WITHOUT ROWID;
          CREATE TABLE test (
            id INTEGER PRIMARY KEY,
            run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            verdict TEXT NOT NULL,
            passed_on_retry INTEGER NOT NULL,
            flaky TEXT,
            message TEXT,
            clip_hash TEXT,
            limits TEXT,
            metrics BLOB NOT NULL,
            frames BLOB,
            UNIQUE (run, name)
          );
          CREATE INDEX test_by_name ON test(name, run);
          CREATE TABLE baseline (
            name TEXT PRIMARY KEY,
            run INTEGER NOT NULL REFERENCES run(id) ON DELETE RESTRICT,
            created_at REAL NOT NULL
          );
          CREATE TABLE good_firmware (
            firmware_key TEXT PRIMARY KEY,
            marked_at REAL NOT NULL,
            run_id TEXT
          );
          """)
    }
    return migrator
  }

  /// The newest schema this rig writes, for messages.
  static var latest: String { migrator.migrations.last ?? "none" }
}

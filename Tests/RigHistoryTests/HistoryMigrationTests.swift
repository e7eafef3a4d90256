// SPDX-License-Identifier: Apache-2.0
import Foundation
import GRDB
import Testing

@testable import RigHistory

@Suite("History schema migrations")
struct HistoryMigrationTests {
  @Test("a new history is claimed (application id), in WAL mode, with every migration applied")
  func fresh() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("h.sqlite")
    _ = try HistoryStore(url: url, create: true)
    let (applicationID, journal, applied, tables) = try DatabaseQueue(path: url.path).read { db in
      (
        try Int32.fetchOne(db, sql: "PRAGMA application_id"),
        try String.fetchOne(db, sql: "PRAGMA journal_mode"),
        try HistorySchema.migrator.appliedIdentifiers(db),
        try ["run", "run_property", "test", "baseline", "good_firmware"].filter { try db.tableExists($0) }
      )
    }
    #expect(applicationID == HistorySchema.applicationID)
    #expect(journal == "wal")
    #expect(applied == Set(HistorySchema.migrator.migrations))
    #expect(tables.count == 5)
  }

  @Test("each migration applies on top of the one before, keeping the runs recorded")
  func stepByStep() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("h.sqlite")
    let migrations = HistorySchema.migrator.migrations
    // Build the file as the first release did: claimed, first migration only, one run in it.
    let queue = try DatabaseQueue(path: url.path)
    try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA application_id = \(HistorySchema.applicationID)") }
    try HistorySchema.migrator.migrate(queue, upTo: migrations[0])
    try queue.close()
    let store = try HistoryStore(url: url, create: true)
    try store.record(HistorySamples.record(id: "run-1"))
    // Opening again (every later migration applied by then) keeps it.
    let reopened = try HistoryStore(url: url, create: false)
    #expect(try reopened.runs().map(\.runID) == ["run-1"])
    #expect(try reopened.evidence(of: "run-1").count == 2)
  }
}

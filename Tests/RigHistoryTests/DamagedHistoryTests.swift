// SPDX-License-Identifier: Apache-2.0
import Foundation
import GRDB
import RigCore
import Testing

@testable import RigHistory

/// A history file that is not what it should be stops the command with a clear error (exit 78
/// for a bad file, 69 for one held by another writer) and is left exactly as it was.
@Suite("History store: damaged, foreign, newer and locked databases")
struct DamagedHistoryTests {
  /// A history with two runs in it.
  func recordedHistory(_ folder: URL) throws -> URL {
    let url = folder.appendingPathComponent("history.sqlite")
    let store = try HistoryStore(url: url, create: true)
    try store.record(HistorySamples.record(id: "run-1", tests: 20, frames: 500))
    try store.record(HistorySamples.record(id: "run-2", tests: 20, frames: 500))
    return url
  }

  func expectRefused(_ url: URL, code: RigError.Code, mentioning words: [String]) throws {
    let before = try Data(contentsOf: url)
    do {
      _ = try HistoryStore(url: url, create: true, timeout: 0.2)
      Issue.record("opening \(url.lastPathComponent) should have failed")
    } catch let error as RigError {
      #expect(error.code == code, "\(error)")
      for word in words { #expect(error.description.contains(word), "\(error)") }
    }
    #expect(try Data(contentsOf: url) == before, "the file must be left as it was")
  }

  @Test("a file that is not SQLite is refused with exit 78 and left alone")
  func notSQLite() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("history.sqlite")
    try Data("run,verdict\nrun-1,passed\n".utf8).write(to: url)
    try expectRefused(url, code: .configInvalid, mentioning: ["not an SQLite database", "nothing was changed"])
    #expect(ExitStatus(error: RigError(.configInvalid, "")).rawValue == 78)
  }

  @Test("a history cut short is refused, and the runs before the cut are not reset")
  func truncated() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = try recordedHistory(folder)
    // Fold the write-ahead log in, so the file alone holds everything, then cut it in half.
    try DatabaseQueue(path: url.path).writeWithoutTransaction {
      try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
    }
    let full = try Data(contentsOf: url)
    try full.prefix(full.count / 2).write(to: url)
    try expectRefused(url, code: .configInvalid, mentioning: ["cut short", "nothing was changed"])
  }

  @Test("another application's SQLite file is refused and left untouched")
  func foreign() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("app.sqlite")
    try DatabaseQueue(path: url.path).write {
      try $0.execute(sql: "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada')")
    }
    try expectRefused(url, code: .configInvalid, mentioning: ["another application", "not a rig history"])
  }

  @Test("a history written by a newer rig is refused, its runs kept")
  func newerSchema() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = try recordedHistory(folder)
    try DatabaseQueue(path: url.path).write {
      try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: something new')")
    }
    try expectRefused(url, code: .configInvalid, mentioning: ["newer schema", "v9: something new"])
  }

  @Test("a history locked by another writer past the timeout gives exit 69; later all is there")
  func locked() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = try recordedHistory(folder)
    let store = try HistoryStore(url: url, create: true, timeout: 0.2)
    let other = try DatabaseQueue(path: url.path)
    try other.writeWithoutTransaction { db in
      try db.execute(sql: "BEGIN EXCLUSIVE")
      do {
        try store.record(HistorySamples.record(id: "run-3"))
        Issue.record("recording while another writer holds the database should fail")
      } catch let error as RigError {
        #expect(error.code == .hardwareUnavailable, "\(error)")
        #expect(error.description.contains("locked by another writer"))
        #expect(ExitStatus(error: error).rawValue == 69)
      }
      try db.execute(sql: "COMMIT")
    }
    #expect(try store.record(HistorySamples.record(id: "run-3")) == .recorded, "once free, it records")
    #expect(try store.runs().map(\.runID).sorted() == ["run-1", "run-2", "run-3"])
  }

  @Test("a missing history is created only by commands that record")
  func missing() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("sub/history.sqlite")
    #expect(throws: RigError.self) { try HistoryStore(url: url, create: false) }
    #expect(!FileManager.default.fileExists(atPath: url.path))
    _ = try HistoryStore(url: url, create: true)
    #expect(FileManager.default.fileExists(atPath: url.path))
  }
}

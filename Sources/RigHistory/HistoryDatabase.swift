// SPDX-License-Identifier: Apache-2.0
import Foundation
import GRDB
import RigCore

/// Opens a history database file and makes sure it is one: rig's own (its application id),
/// readable (not damaged or cut short), of a schema this rig knows, and migrated to the latest.
///
/// Whatever is wrong, it says so and stops: a history is never reset or rewritten to make it
/// fit, so nothing recorded earlier is lost. A file that is not SQLite, is damaged, belongs to
/// another application or has a newer schema is exit 78 (bad file); one held by another writer
/// past the busy timeout is exit 69 (unavailable), and the command can simply be run again.
public enum HistoryDatabase {
  /// How long a write waits for another writer (several rigs recording on one host) before
  /// giving up: `RIG_HISTORY_TIMEOUT` in seconds, 10 by default.
  public static func busyTimeout(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> Double
  {
    if let text = environment["RIG_HISTORY_TIMEOUT"], let seconds = Double(text), seconds >= 0 {
      return seconds
    }
    return 10
  }

  /// Opens `url`, creating it (and its folder) when `create` is true and it does not exist.
  /// - Throws: `RigError(.configInvalid)` for a missing (when not creating), damaged, foreign or
  ///   newer file; `RigError(.hardwareUnavailable)` when another writer holds it too long.
  static func open(_ url: URL, create: Bool, timeout: Double) throws -> DatabaseQueue {
    let path = url.path
    let exists = FileManager.default.fileExists(atPath: path)
    if !exists {
      guard create else {
        throw RigError(
          .configInvalid,
          "no history database at \(url.displayPath): record runs into it with "
            + "'rig run --history \(url.displayPath)' or 'rig history import … --history \(url.displayPath)'")
      }
      do {
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      } catch {
        throw RigError(.configInvalid, "cannot create the folder of history database \(url.displayPath)", cause: error)
      }
    } else {
      try checkNotTruncated(url)
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(timeout)
    configuration.label = "rig history"
    let queue: DatabaseQueue
    do {
      queue = try DatabaseQueue(path: path, configuration: configuration)
    } catch {
      throw HistoryFailure.describe(error, url: url, doing: "open", timeout: timeout)
    }
    do {
      try prepare(queue, url: url)
    } catch let error as RigError {
      throw error
    } catch {
      throw HistoryFailure.describe(error, url: url, doing: "open", timeout: timeout)
    }
    return queue
  }

  /// Claims a new, empty file; checks an existing one is ours and not newer; migrates.
  private static func prepare(_ queue: DatabaseQueue, url: URL) throws {
    let migrator = HistorySchema.migrator
    try queue.writeWithoutTransaction { db in
      let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
      let objects = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
      if applicationID == 0 && objects == 0 {
        try db.execute(sql: "PRAGMA application_id = \(HistorySchema.applicationID)")
      } else if applicationID != HistorySchema.applicationID {
        throw RigError(
          .configInvalid,
          "\(url.displayPath) is an SQLite database of another application "
            + "(application id \(applicationID), \(objects) tables and indexes), not a rig history: "
            + "nothing was changed; name another file with --history")
      }
      if try migrator.hasBeenSuperseded(db) {
        let known = Set(migrator.migrations)
        let unknown = try migrator.appliedIdentifiers(db).subtracting(known).sorted()
        throw RigError(
          .configInvalid,
          "history database \(url.displayPath) has a newer schema (\(unknown.joined(separator: ", "))) "
            + "than this rig knows (up to '\(HistorySchema.latest)'): nothing was changed; "
            + "use the rig that wrote it, or a newer one")
      }
      // WAL lets several rigs on one host record at once while others read; it persists in the
      // file, so this is done once.
      if try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() != "wal" {
        try db.execute(sql: "PRAGMA journal_mode = WAL")
      }
    }
    try migrator.migrate(queue)
  }

  /// A database whose header says it is longer than the file is has been cut short (a partial
  /// copy, a full disk); SQLite would only notice when it reaches the missing pages. A file with
  /// a write-ahead log beside it may legitimately be behind its header until the log is replayed.
  private static func checkNotTruncated(_ url: URL) throws {
    guard let handle = FileHandle(forReadingAtPath: url.path) else {
      throw RigError(.configInvalid, "cannot read history database \(url.displayPath) (check its permissions)")
    }
    defer { try? handle.close() }
    let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
    let size = (try? handle.seekToEnd()).map(Int.init) ?? 0
    if size == 0 { return }
    guard header.count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
      throw RigError(
        .configInvalid,
        "\(url.displayPath) is not an SQLite database (\(size) bytes, no SQLite header): "
          + "it is not a rig history, or it was overwritten; nothing was changed. "
          + "Restore it from a copy or name another file with --history")
    }
    func bigEndian(_ offset: Int, _ count: Int) -> Int {
      header[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
    }
    var pageSize = bigEndian(16, 2)
    if pageSize == 1 { pageSize = 65536 }
    let pages = bigEndian(28, 4)
    // The page count is valid only when the change counter matches "version valid for".
    guard bigEndian(24, 4) == bigEndian(92, 4), pages > 0 else { return }
    let wal = FileProbeSize.of(url.path + "-wal")
    if size < pages * pageSize && wal == 0 {
      throw RigError(
        .configInvalid,
        "history database \(url.displayPath) is cut short: its header says \(pages * pageSize) bytes, "
          + "the file has \(size): nothing was changed; restore it from a copy "
          + "(or rebuild it from report folders with 'rig history import') and name it with --history")
    }
  }
}

/// The size of a file, 0 when it is not there.
enum FileProbeSize {
  static func of(_ path: String) -> Int {
    var status = stat()
    guard stat(path, &status) == 0 else { return 0 }
    return Int(status.st_size)
  }
}

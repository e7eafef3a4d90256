// SPDX-License-Identifier: Apache-2.0
import Foundation
import GRDB
import RigCore

/// Turns what SQLite says about a history file into rig's errors: damaged or foreign files are
/// bad configuration (78), a file another writer holds is unavailable (69).
enum HistoryFailure {
  static func describe(_ error: any Error, url: URL, doing action: String, timeout: Double) -> RigError {
    if let rig = error as? RigError { return rig }
    guard let database = error as? DatabaseError else {
      return RigError(.internal, "history database \(url.displayPath): cannot \(action) it", cause: error)
    }
    let name = url.displayPath
    switch database.resultCode {
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return RigError(
        .hardwareUnavailable,
        "history database \(name) is locked by another writer, still after "
          + "\(MetricFormat.number(timeout)) s (RIG_HISTORY_TIMEOUT): nothing was changed; "
          + "run the command again when the other rig has finished")
    case .SQLITE_NOTADB:
      return RigError(
        .configInvalid,
        "\(name) is not an SQLite database: it is not a rig history, or it was overwritten; "
          + "nothing was changed. Restore it from a copy or name another file with --history")
    case .SQLITE_CORRUPT:
      return RigError(
        .configInvalid,
        "history database \(name) is damaged (\(database.message ?? "corrupt")): nothing was changed. "
          + "Restore it from a copy, or rebuild a new one from report folders with "
          + "'rig history import Reports/* --history NEW.sqlite'")
    case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
      return RigError(
        .configInvalid,
        "cannot \(action) history database \(name): \(database.message ?? "permission denied") "
          + "(check the file's and its folder's permissions)")
    case .SQLITE_FULL, .SQLITE_IOERR:
      return RigError(
        .hardwareUnavailable,
        "cannot \(action) history database \(name): \(database.message ?? "I/O error") "
          + "(is the disk full?); what was recorded before is intact")
    default:
      return RigError(
        .configInvalid, "history database \(name): cannot \(action) it: \(database.message ?? "\(database)")")
    }
  }
}

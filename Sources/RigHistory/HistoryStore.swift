// SPDX-License-Identifier: Apache-2.0
import GRDB
import RigCore

public enum HistoryProbe {
  public static func version() throws -> String {
    let queue = try DatabaseQueue()
    return try queue.read { try String.fetchOne($0, sql: "SELECT sqlite_version()") ?? "" }
  }
}

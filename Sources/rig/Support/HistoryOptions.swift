// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHistory

/// `--history PATH`, which every command that reads or writes history takes.
struct HistoryOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "History database (default: $RIG_HISTORY, else the rig file's history:, else "
        + "${XDG_STATE_HOME:-~/.local/state}/rig/history.sqlite).", valueName: "path"))
  var history: String?

  /// The database to use, or nil when recording is switched off (`off` in any of the places).
  func location(rig: RigConfiguration? = nil) -> URL? {
    HistoryLocation.resolve(flag: history, rig: rig?.history)
  }

  /// Opens the history for reading (it must exist) or writing (created when missing).
  func open(create: Bool, rig: RigConfiguration? = nil) throws -> HistoryStore {
    guard let url = location(rig: rig) else {
      throw RigError(.usage, "history is switched off (RIG_HISTORY=off or history: off): name a file with --history")
    }
    return try HistoryStore(url: url, create: create)
  }
}

/// Where history lives: the first of `--history`, `RIG_HISTORY`, the rig file's `history:`, and
/// the per-user default. Recording is on by default, because the first time a nightly asks
/// "worse than before?" is too late to start remembering; a run costs well under 2 MB.
enum HistoryLocation {
  static func resolve(
    flag: String?, rig: HistorySetting?,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> URL? {
    if let flag { return flag == "off" ? nil : URL(fileURLWithPath: (flag as NSString).expandingTildeInPath) }
    if let variable = environment["RIG_HISTORY"], !variable.isEmpty {
      return variable == "off" ? nil : URL(fileURLWithPath: (variable as NSString).expandingTildeInPath)
    }
    switch rig {
    case .file(let url): return url
    case .off: return nil
    case nil: return defaultURL(environment: environment)
    }
  }

  /// `${XDG_STATE_HOME:-~/.local/state}/rig/history.sqlite`, beside the simulated board's flash.
  static func defaultURL(environment: [String: String]) -> URL {
    let state =
      environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (NSHomeDirectory() + "/.local/state")
    return URL(fileURLWithPath: state).appendingPathComponent("rig/history.sqlite")
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// Which rigs are quarantined on this host: one JSON file per rig, named by the rig's name, in
/// `$RIG_STATE_DIR/quarantine/`, else `${XDG_STATE_HOME:-~/.local/state}/rig/quarantine/`.
///
/// A rig lands here when it fails its health check; `rig run` then leaves it out (the report says
/// so) until `rig health` passes on it again or a person runs `rig health --clear`. The files are
/// plain JSON, so `ls` and `cat` tell who is out and why.
enum QuarantineStore {
  /// Why and since when a rig is out.
  struct Entry: Codable, Equatable {
    var rig: String
    var rigFile: String
    var reason: String
    var since: Date
    var host: String
    /// The run whose health check failed, when there was one.
    var run: String?

    /// One line for messages: "quarantined since 2026-…Z: reason".
    var summary: String {
      "quarantined since \(UTCTimestamp.iso8601(since)) on \(host)"
        + (run.map { " (run \($0))" } ?? "") + ": \(reason)"
    }
  }

  private static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    return encoder
  }

  private static var decoder: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
  }

  static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    if let dir = environment["RIG_STATE_DIR"], dir.hasPrefix("/") {
      return URL(fileURLWithPath: dir).appendingPathComponent("quarantine")
    }
    return SimulatedFlashSettings.defaultFile(rig: "quarantine", environment: environment)
      .deletingLastPathComponent()
  }

  static func file(for rig: String, in folder: URL = directory()) -> URL {
    folder.appendingPathComponent("\(rig).json")
  }

  /// The rig's quarantine, or nil when it is not quarantined.
  static func entry(for rig: String, in folder: URL = directory()) -> Entry? {
    guard let data = try? Data(contentsOf: file(for: rig, in: folder)) else { return nil }
    // A file that cannot be read as an entry still means someone put the rig out.
    return (try? decoder.decode(Entry.self, from: data))
      ?? Entry(
        rig: rig, rigFile: "", reason: "\(file(for: rig, in: folder).displayPath) exists but is not readable JSON",
        since: Date(timeIntervalSince1970: 0), host: "?")
  }

  /// Puts `rig` in quarantine with `reason`.
  static func quarantine(_ rig: RigConfiguration, reason: String, run: String?, in folder: URL = directory()) throws {
    let entry = Entry(
      rig: rig.name, rigFile: rig.file.displayPath, reason: reason, since: Date(),
      host: ProcessInfo.processInfo.hostName, run: run)
    let url = file(for: rig.name, in: folder)
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try encoder.encode(entry).write(to: url, options: .atomic)
    } catch {
      throw RigError(
        .hardwareFault,
        "cannot record the quarantine of \(rig.name) in \(url.displayPath): \(error.localizedDescription) "
          + "(set RIG_STATE_DIR to a writable folder)")
    }
  }

  /// Takes `rig` out of quarantine; false when it was not in.
  @discardableResult
  static func clear(_ rig: String, in folder: URL = directory()) throws -> Bool {
    let url = file(for: rig, in: folder)
    guard FileManager.default.fileExists(atPath: url.path) else { return false }
    do {
      try FileManager.default.removeItem(at: url)
    } catch {
      throw RigError(.hardwareFault, "cannot remove \(url.displayPath): \(error.localizedDescription)")
    }
    return true
  }

  /// Refuses a quarantined rig, naming why and how to bring it back.
  static func refuseIfQuarantined(_ rig: RigConfiguration, in folder: URL = directory()) throws {
    guard let entry = entry(for: rig.name, in: folder) else { return }
    throw RigError(
      .hardwareUnavailable,
      "rig '\(rig.name)' is \(entry.summary); it is left out until 'rig health --rig "
        + "\(rig.file.displayPath)' passes or a person runs 'rig health --clear --rig \(rig.file.displayPath)'")
  }
}

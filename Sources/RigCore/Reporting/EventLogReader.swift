// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads `events.ndjson` back into events, for `rig report` and for rebuilding a run after a crash.
///
/// A damaged last line is what a killed writer leaves behind, so it is skipped with a warning.
/// A damaged line anywhere else means the file was edited or corrupted: reading fails and names
/// every such line.
public enum EventLogReader {
  /// What a log held.
  public struct Contents: Sendable {
    /// The events, in file order.
    public var events: [TimedEvent]
    /// Lines that were skipped and why (`events.ndjson:42: ...`); nothing was lost silently.
    public var warnings: [String]
  }

  /// Reads the log at `url`.
  public static func read(_ url: URL) throws -> Contents {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw RigError(
        .inputMissing,
        "cannot read the event log \(url.displayPath) "
          + "(give a run folder such as Reports/<run-id> or its events.ndjson)",
        cause: error)
    }
    return try parse(data, file: url.displayPath)
  }

  /// Parses log text; `file` names the log in messages.
  public static func parse(_ data: Data, file: String) throws -> Contents {
    let decoder = ReportJSON.decoder()
    var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    // A log that ends with a newline has an empty last piece: it is not a line.
    let endsWithNewline = data.last == UInt8(ascii: "\n")
    if endsWithNewline { lines.removeLast() }

    var events: [TimedEvent] = []
    var warnings: [String] = []
    var damaged: [(line: Int, reason: String)] = []
    let lastContentLine = lines.lastIndex { !isBlank($0) }

    for (index, raw) in lines.enumerated() where !isBlank(raw) {
      let number = index + 1
      do {
        events.append(try decoder.decode(TimedEvent.self, from: Data(raw)))
      } catch {
        let reason = ReportJSON.describe(error)
        if index == lastContentLine {
          let cut = endsWithNewline ? "" : ", and the file does not end with a newline"
          warnings.append(
            "\(file):\(number): the last line is damaged (\(reason)\(cut)); it was probably being "
              + "written when rig stopped, so it is ignored")
        } else if let name = unknownEventName(raw, decoder: decoder) {
          // A newer rig may add event kinds; older readers keep what they understand.
          warnings.append(
            "\(file):\(number): unknown event '\(name)' ignored (written by a newer rig?)")
        } else {
          damaged.append((number, reason))
        }
      }
    }
    guard damaged.isEmpty else {
      let shown = damaged.prefix(10).map { "\(file):\($0.line): \($0.reason)" }
      let more = damaged.count > 10 ? "\n... and \(damaged.count - 10) more damaged lines" : ""
      throw RigError(
        .configInvalid,
        "the event log \(file) is damaged before its last line, so it cannot be trusted:\n"
          + shown.joined(separator: "\n") + more
          + "\n(restore the file, or remove those lines by hand and run 'rig report' again)")
    }
    return Contents(events: events, warnings: warnings)
  }

  private static func isBlank(_ line: Data.SubSequence) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
  }

  /// The `event` name of a well-formed line whose kind this version does not know.
  private static func unknownEventName(_ raw: Data.SubSequence, decoder: JSONDecoder) -> String? {
    struct Probe: Decodable {
      var at: Date
      var event: String
    }
    guard let probe = try? decoder.decode(Probe.self, from: Data(raw)),
      !RunEvent.names.contains(probe.event)
    else { return nil }
    return probe.event
  }
}

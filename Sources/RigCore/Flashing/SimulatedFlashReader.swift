// SPDX-License-Identifier: Apache-2.0
import Foundation
import Yams

/// Reads `simulated.flash` of a rig file into `SimulatedFlashSettings`, reporting every problem
/// with its place.
enum SimulatedFlashReader {
  static let keys = [
    "file", "size", "baud", "max_packet_size", "sector_erase", "hab", "faults",
  ]
  static let faultKeys = ["kind", "command", "frame", "times", "status"]

  /// The settings of `node` (the value of `simulated.flash`); the flash persists in `file:`
  /// (relative to the rig file), or under the XDG state folder named after `rig`.
  static func read(_ node: Node, at path: String, rig: String, base: URL, _ r: ConfigReader) -> SimulatedFlashSettings {
    var s = SimulatedFlashSettings()
    s.file = SimulatedFlashSettings.defaultFile(rig: rig)
    guard let t = r.table(node, at: path, keys: keys, what: "flash settings such as { baud: 921600 }") else {
      return s
    }
    if let file = r.text(t, "file", what: "a file for the flash contents") {
      s.file = SuiteLoader.resolve(file, against: base)
    }
    if let kib = r.int(t, "size", in: 64...(256 * 1024)) {
      if kib % 4 != 0 {
        r.report(t["size"], t.path("size"), "the flash size must be whole 4 KiB sectors", hint: "size is in KiB, e.g. 8192")
      }
      s.sizeBytes = kib * 1024
    }
    s.baud = r.int(t, "baud", in: 0...20_000_000) ?? s.baud
    if let packet = r.int(t, "max_packet_size", in: 32...4096) { s.maxPacketSize = packet }
    s.sectorEraseTime = r.duration(t, "sector_erase", maximum: .seconds(10)) ?? s.sectorEraseTime
    if let hab = r.text(t, "hab", what: "open or closed") {
      if hab == "open" || hab == "closed" {
        s.habClosed = hab == "closed"
      } else {
        r.report(t["hab"], t.path("hab"), "hab is open or closed, not '\(TerminalText.excerpt(hab))'")
      }
    }
    if let faultsNode = t["faults"], !ConfigReader.isNull(faultsNode),
      let items = r.list(faultsNode, at: t.path("faults"), of: "flash faults such as { kind: nak, command: write_memory }")
    {
      s.faults = items.enumerated().compactMap { index, item in
        readFault(item, at: "\(t.path("faults"))[\(index)]", r)
      }
    }
    return s
  }

  private static func readFault(_ node: Node, at path: String, _ r: ConfigReader) -> SimulatedFlashFault? {
    guard
      let f = r.table(
        node, at: path, keys: faultKeys, required: ["kind"],
        what: "a flash fault such as { kind: nak, command: write_memory, frame: 1, times: 2 }")
    else { return nil }
    let kind: SimulatedFlashFault.Kind? = r.choice(f, "kind", what: "a flash fault kind")
    let command = r.text(f, "command", what: "a command name such as write_memory")
    let frame = r.int(f, "frame", in: 0...1_000_000) ?? 0
    let times = r.int(f, "times", in: 0...1_000_000) ?? 1
    let status = r.int(f, "status", in: 1...Int(UInt32.max)).map(UInt32.init)
    guard let kind else { return nil }
    let known = SimulatedFlashFault.sdpCommands + SimulatedFlashFault.mbootCommands
    if let command, !known.contains(command) {
      r.report(
        f["command"], f.path("command"), "unknown command '\(TerminalText.excerpt(command))'",
        hint: KeySuggestion.hint(for: command, validChoices: known, noun: "commands"))
    }
    if let command, kind == .nak || kind == .crcError, SimulatedFlashFault.sdpCommands.contains(command) {
      r.report(
        f["command"], f.path("command"), "\(kind.rawValue) needs a framed MBoot command; SDP has no frames to damage",
        hint: "use no_answer for \(command), or aim at an MBoot command such as write_memory")
    }
    if status != nil && kind != .eraseFailed && kind != .writeFailed {
      r.report(f["status"], f.path("status"), "status applies to erase_failed and write_failed only")
    }
    return SimulatedFlashFault(kind: kind, command: command, frame: frame, times: times, status: status)
  }
}

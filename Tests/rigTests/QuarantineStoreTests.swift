// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Testing

@testable import rig

/// The quarantine state of rigs on a host: where it is kept, what an entry says, and how a rig
/// gets out of it. In a folder of its own, never the user's state.
@Suite("quarantine state")
struct QuarantineStoreTests {
  /// A fresh folder, removed when `body` returns.
  private func withFolder(_ body: (URL) throws -> Void) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rig-quarantine-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    try body(url)
  }

  @Test("kept in RIG_STATE_DIR/quarantine, else under XDG_STATE_HOME or ~/.local/state")
  func location() {
    #expect(QuarantineStore.directory(environment: ["RIG_STATE_DIR": "/srv/rig"]).path == "/srv/rig/quarantine")
    #expect(
      QuarantineStore.directory(environment: ["RIG_STATE_DIR": "relative", "XDG_STATE_HOME": "/state"]).path
        == "/state/rig/quarantine", "a relative RIG_STATE_DIR would change with the working folder")
    #expect(QuarantineStore.directory(environment: ["HOME": "/home/ci"]).path == "/home/ci/.local/state/rig/quarantine")
  }

  @Test("a quarantined rig is refused with why, since when and how to bring it back; clearing takes it out")
  func lifecycle() throws { try withFolder { try lifecycle(in: $0.appendingPathComponent("quarantine")) } }

  private func lifecycle(in folder: URL) throws {
    var rig = RigConfiguration(
      name: "bench-02", file: URL(fileURLWithPath: "/rigs/bench-02.yaml"), board: "mimxrt1060-evk",
      simulation: SimulationSettings())
    rig.health = nil
    #expect(QuarantineStore.entry(for: rig.name, in: folder) == nil)
    try QuarantineStore.refuseIfQuarantined(rig, in: folder)

    try QuarantineStore.quarantine(rig, reason: "failed its health check: golden failed", run: "20261203-run", in: folder)
    let entry = try #require(QuarantineStore.entry(for: rig.name, in: folder))
    #expect(entry.rig == "bench-02" && entry.rigFile == "/rigs/bench-02.yaml" && entry.run == "20261203-run")
    #expect(abs(entry.since.timeIntervalSinceNow) < 600)
    #expect(entry.summary.hasPrefix("quarantined since 20") && entry.summary.hasSuffix("(run 20261203-run): failed its health check: golden failed"))
    do {
      try QuarantineStore.refuseIfQuarantined(rig, in: folder)
      Issue.record("a quarantined rig was not refused")
    } catch let error as RigError {
      #expect(error.code == .hardwareUnavailable)
      #expect(error.message.contains("rig 'bench-02' is quarantined since"))
      #expect(error.message.contains("'rig health --rig /rigs/bench-02.yaml' passes"))
      #expect(error.message.contains("'rig health --clear --rig /rigs/bench-02.yaml'"))
    }
    #expect(try QuarantineStore.clear(rig.name, in: folder))
    #expect(QuarantineStore.entry(for: rig.name, in: folder) == nil)
    #expect(try !QuarantineStore.clear(rig.name, in: folder), "clearing a rig not in quarantine says so")
  }

  @Test("a state file that is not an entry still keeps its rig out, and says what is wrong with it")
  func unreadable() throws {
    try withFolder { folder in
      try Data("{ half".utf8).write(to: folder.appendingPathComponent("bench-03.json"))
      let entry = try #require(QuarantineStore.entry(for: "bench-03", in: folder))
      #expect(entry.reason.hasSuffix("bench-03.json exists but is not readable JSON"))
    }
  }

  @Test("a state folder that cannot be written is an error naming it and the fix")
  func unwritable() throws {
    try withFolder { folder in
      let file = folder.appendingPathComponent("a-file")
      try Data().write(to: file)
      let rig = RigConfiguration(
        name: "bench-04", file: URL(fileURLWithPath: "/rigs/bench-04.yaml"), board: "virtual-rt1062",
        simulation: SimulationSettings())
      #expect {
        try QuarantineStore.quarantine(rig, reason: "x", run: nil, in: file.appendingPathComponent("quarantine"))
      } throws: { error in
        let message = (error as? RigError)?.message ?? ""
        return message.contains("cannot record the quarantine of bench-04") && message.contains("set RIG_STATE_DIR")
      }
    }
  }
}

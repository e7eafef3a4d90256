// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

/// `rig run` and `rig flash` flashing the simulated bench through its ROM over a pseudo-terminal.
@Suite(.timeLimit(.minutes(TestTime.minutes(3)))) struct FlashCommandTests {
  static let image = RigCommand.repositoryRoot.appendingPathComponent("Fixtures/firmware/demo-counting.hex").path

  private func suite(_ rig: RigCommand) throws -> URL {
    _ = try rig.copyClip("empty-room")
    return try rig.write(
      "suite.yaml",
      """
      suite: flashing
      firmware: { image: \(Self.image) }
      tests:
        - { name: room, clip: clips/empty-room, limits: { count.max_abs_error: "== 0" } }
      """)
  }

  private func properties(_ rig: RigCommand) throws -> String {
    try String(contentsOf: try rig.runFolder().appendingPathComponent("junit.xml"), encoding: .utf8)
  }

  @Test("the first run flashes the suite's image over the pseudo-terminal, the second finds it running and skips")
  func flashThenSkip() async throws {
    let rig = try RigCommand()
    let suite = try suite(rig)
    let bench = try rig.simulatedRig(name: "flash-e2e", extra: "  flash: { baud: 0 }")
    let first = try await rig.run(["run", suite.path, "--rig", bench.path, "--reports", rig.reports.path])
    #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
    #expect(first.stdout.contains("flashed "), "\(first.stdout)")
    #expect(first.stdout.contains("native SDP + MBoot on /dev/pts/"))
    let junit = try properties(rig)
    #expect(junit.contains("<property name=\"flash.skipped\" value=\"false\"/>"))
    #expect(junit.contains("<property name=\"fw.image_hash\" value=\"a3f16773346aa79252bdb0c98f263dbbf5d196605e87cc570b1a126bfb2c7acb\"/>"))
    #expect(junit.contains("flash.bytes_per_s"))
    try FileManager.default.removeItem(at: rig.reports)
    let second = try await rig.run(["run", suite.path, "--rig", bench.path, "--reports", rig.reports.path])
    #expect(second.status == 0)
    #expect(second.stdout.contains("flash skipped: the board already runs this image"), "\(second.stdout)")
    #expect(try properties(rig).contains("<property name=\"flash.skipped\" value=\"true\"/>"))
  }

  @Test("a persistent flash fault errors the run's tests naming stage and status, exit 2")
  func faultErrors() async throws {
    let rig = try RigCommand()
    let suite = try suite(rig)
    let bench = try rig.simulatedRig(
      name: "flash-fault", extra: "  flash: { baud: 0, faults: [ { kind: erase_failed, times: 0 } ] }")
    let result = try await rig.run(["run", suite.path, "--rig", bench.path, "--reports", rig.reports.path])
    #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
    let junit = try properties(rig)
    #expect(junit.contains("flash failed in stage erase"))
    #expect(junit.contains("20101 FLEXSPINOREraseSectorFail"))
    #expect(junit.contains("type=\"FlashError\""))
    #expect(junit.contains("flash log:"))
  }

  @Test("a transient NAK is retried and the run passes")
  func transientNak() async throws {
    let rig = try RigCommand()
    let suite = try suite(rig)
    let bench = try rig.simulatedRig(
      name: "flash-nak", extra: "  flash: { baud: 0, faults: [ { kind: nak, command: write_memory, frame: 1, times: 2 } ] }")
    let result = try await rig.run(["run", suite.path, "--rig", bench.path, "--reports", rig.reports.path])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("flashed "))
  }

  @Test("rig flash writes an image, then says it already runs; a bad image exits 78")
  func flashCommand() async throws {
    let rig = try RigCommand()
    let bench = try rig.simulatedRig(name: "flash-cli", extra: "  flash: { baud: 0 }")
    let first = try await rig.run(["flash", Self.image, "--rig", bench.path])
    #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
    #expect(first.stdout.contains("flashed 32768 bytes"))
    let second = try await rig.run(["flash", Self.image, "--rig", bench.path])
    #expect(second.stdout.contains("not flashed: the board already runs this image"))
    let bad = try rig.write("bad.hex", ":0400000001020304F3\n:00000001FF\n")
    let refused = try await rig.run(["flash", bad.path, "--rig", bench.path])
    #expect(refused.status == 78)
    #expect(refused.stderr.contains("checksum"))
  }
}

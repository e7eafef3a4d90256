// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// Health checks before a run and on their own, and the quarantine they keep: a bad board is
/// left out, the nightly still tests everything on the others and says the bench is degraded.
@Suite("health checks and quarantine", .timeLimit(.minutes(TestTime.minutes(3))))
struct HealthQuarantineTests {
  static let health = RigCommand.repositoryRoot.appendingPathComponent("Fixtures/suites/health.yaml").path

  /// A simulated rig with the shipped health check; `bad` miscounts every frame.
  static func board(_ rig: RigCommand, _ name: String, bad: Bool) throws -> URL {
    try rig.write(
      "\(name).yaml",
      """
      rig: \(name)
      board: virtual-rt1062
      health: { suite: \(health) }
      timing: { power_off: 50ms, boot_timeout: 5s, command_timeout: 2s, hang_timeout: 2s }
      simulated:
        seed: 42
        boot_time: 100ms
        flash: { baud: 0 }
      \(bad ? "  faults: [{ kind: miscount, frame: 0, factor: 2 }]" : "")
      """)
  }

  @Test("a board failing its health check is quarantined, the run finishes on the others and exits 3; rig health brings it back once it passes")
  func quarantineAndBack() async throws {
    let rig = try RigCommand()
    let good = try Self.board(rig, "good", bad: false)
    let bad = try Self.board(rig, "bad", bad: true)
    let nightly = try await rig.run([
      "run", "Fixtures/suites/demo.yaml", "--rig", good.path, "--rig", bad.path, "--reports", rig.reports.path,
    ])
    #expect(nightly.status == 3, "infrastructure, not firmware: \(nightly.stdout)\n\(nightly.stderr)")
    let run = try PoolRunTests.results(try rig.runFolder())
    #expect(run.tests.count == 4 && run.tests.allSatisfy { $0.verdict == .passed && $0.rig == "good" })
    let out = try #require(run.rigs?.first { $0.name == "bad" })
    #expect(out.state == .quarantined && out.reason?.contains("failed its health check: golden failed") == true, "\(out)")
    let folder = try rig.runFolder()
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("rigs/bad/health/events.ndjson").path))
    let junit = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
    #expect(junit.contains("<property name=\"rig.state\" value=\"quarantined\"/>"))
    let state = rig.scratch.appendingPathComponent("state/rig/quarantine/bad.json")
    #expect(FileManager.default.fileExists(atPath: state.path))

    // The next run leaves it out without trying it, and says since when and why.
    try FileManager.default.removeItem(at: rig.reports)
    let next = try await rig.run([
      "run", "Fixtures/suites/demo.yaml", "--rig", good.path, "--rig", bad.path, "--reports", rig.reports.path,
    ])
    #expect(next.status == 3)
    let again = try PoolRunTests.results(try rig.runFolder())
    #expect(again.rigs?.first { $0.name == "bad" }?.reason?.contains("is quarantined since") == true)
    #expect(!FileManager.default.fileExists(atPath: try rig.runFolder().appendingPathComponent("rigs/bad/health").path))

    // Still bad: rig health says so and keeps it out.
    let stillBad = try await rig.run(["health", "--rig", bad.path, "--reports", rig.reports.path])
    #expect(stillBad.status == 3, "\(stillBad.stdout)\n\(stillBad.stderr)")
    #expect(stillBad.stdout.contains("bad: failed its health check"), "\(stillBad.stdout)")
    #expect(FileManager.default.fileExists(atPath: state.path))

    // Repaired: it passes and is back.
    _ = try Self.board(rig, "bad", bad: false)
    let repaired = try await rig.run(["health", "--rig", bad.path, "--reports", rig.reports.path])
    #expect(repaired.status == 0, "\(repaired.stdout)\n\(repaired.stderr)")
    #expect(repaired.stdout.contains("back in service"), "\(repaired.stdout)")
    #expect(!FileManager.default.fileExists(atPath: state.path))
  }

  @Test("one rig failing its health check on its own: the run does not start (69), every test errored with why")
  func singleRigQuarantined() async throws {
    let rig = try RigCommand()
    let bad = try Self.board(rig, "lonely", bad: true)
    let result = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--rig", bad.path, "--reports", rig.reports.path])
    #expect(result.status == 69, "\(result.stdout)\n\(result.stderr)")
    let run = try await NotStartedReportTests.expectReports(rig, status: 69)
    #expect(run.tests.allSatisfy { $0.verdict == .errored && $0.message?.contains("failed its health check") == true })
    // A person clears it by hand.
    let cleared = try await rig.run(["health", "--clear", "--rig", bad.path])
    #expect(cleared.status == 0 && cleared.stdout.contains("lonely: quarantine cleared (was quarantined since"), "\(cleared.stdout)")
    let twice = try await rig.run(["health", "--clear", "--rig", bad.path])
    #expect(twice.stdout.contains("lonely: not quarantined"))
  }

  @Test("rig health on a rig without a health check is refused with the fix")
  func noHealthCheck() async throws {
    let rig = try RigCommand()
    let plain = try rig.simulatedRig(name: "plain")
    let result = try await rig.run(["health", "--rig", plain.path])
    #expect(result.status == 64)
    #expect(result.stderr.contains("plain (\(plain.path)) names no health check: add health: { suite: … }"), "\(result.stderr)")
  }
}

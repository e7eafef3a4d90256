// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// A run that stops before its first test (bench unavailable, rig locked, no flasher for the
/// suite's image) still leaves its reports: every selected test errored with the reason.
@Suite("runs that cannot start still write their reports", .timeLimit(.minutes(2)))
struct NotStartedReportTests {
  @Test("the bench is unavailable (its console is absent): exit 69, and events, results and JUnit say why")
  func benchUnavailable() async throws {
    let rig = try RigCommand()
    _ = try rig.copyClip("empty-room")
    let suite = try rig.write(
      "two.yaml",
      """
      suite: two
      tests:
        - { name: first, clip: clips/empty-room }
        - { name: second, clip: clips/empty-room, skip: "not today" }
      """)
    let absent = rig.scratch.appendingPathComponent("no-such-console").path
    let bench = try rig.write(
      "absent.yaml",
      """
      rig: absent-console
      board: virtual-rt1062
      power: { command: { on: ["true"], off: ["true"] } }
      console: { port: \(absent), reconnect: 0s }
      """)
    let result = try await rig.run(["run", suite.path, "--rig", bench.path, "--reports", rig.reports.path])
    #expect(result.status == 69, "\(result.stdout)\n\(result.stderr)")
    let run = try await Self.expectReports(rig, status: 69)
    #expect(run.tests.map(\.verdict) == [.errored, .skipped])
    #expect(run.tests[0].errorType == "HardwareUnavailable")
    #expect(run.tests[0].message?.hasPrefix("not run: ") == true)
    #expect(run.tests[0].message?.contains(absent) == true, "\(run.tests[0].message ?? "")")
    #expect(run.tests[1].message == "not today")
  }

  @Test("the rig is locked by another run: exit 69, reports naming the holder")
  func locked() async throws {
    let rig = try RigCommand()
    let slow = try rig.simulatedRig(name: "held", pace: 1)
    // --no-flash: no flash to wait for (or to time out on a loaded machine) before the tests.
    let first = try await rig.start([
      "run", "Fixtures/suites/demo.yaml", "--rig", slow.path, "--no-flash",
      "--reports", rig.scratch.appendingPathComponent("first").path,
    ])
    #expect(await TestProcess.eventually { first.stdout.contains("> empty-room") }, "\(first.stdout)\(first.stderr)")
    let second = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--rig", slow.path, "--reports", rig.reports.path])
    #expect(second.status == 69, "\(second.stdout)\n\(second.stderr)")
    let run = try await Self.expectReports(rig, status: 69)
    #expect(run.tests.count == 4 && run.tests.allSatisfy { $0.errorType == "HardwareUnavailable" })
    #expect(run.tests[0].message?.contains("is in use by pid \(first.pid)") == true)
    first.signal(SIGTERM)
    #expect(await first.wait() == 143)
  }

  /// The run folder holds events (run_started … run_finished), results.json and a valid JUnit;
  /// returns the results.
  static func expectReports(_ rig: RigCommand, status: Int32) async throws -> RunResult {
    let folder = try rig.runFolder()
    let events = try String(contentsOf: folder.appendingPathComponent("events.ndjson"), encoding: .utf8)
      .split(separator: "\n")
    #expect(events.first?.contains("\"run_started\"") == true)
    #expect(events.last?.contains("\"run_finished\"") == true && events.last?.contains("\"exitStatus\":\(status)") == true)
    let run = try JSONRenderer.parse(Data(contentsOf: folder.appendingPathComponent("results.json")))
    #expect(ExitStatus(run: run).rawValue == status)
    #expect(run.startFailure?.exitStatus == status)
    let json = try String(contentsOf: folder.appendingPathComponent("results.json"), encoding: .utf8)
    #expect(json.contains("\"exitStatus\" : \(status)"), "summary.exitStatus")
    if Xmllint.executable != nil {
      let problems = try await Xmllint.validateJUnit(folder.appendingPathComponent("junit.xml"))
      #expect(problems.isEmpty, "\(problems)")
    }
    return run
  }
}

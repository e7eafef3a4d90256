// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// What a run leaves behind when it is stopped: by Ctrl-C, or killed outright.
@Suite("interrupted runs", .timeLimit(.minutes(3)))
struct InterruptionTests {
  @Test("SIGINT mid-test: exit 130, the bench is switched off, and the reports are written")
  func sigint() async throws {
    let rig = try RigCommand()
    let slow = try rig.simulatedRig(name: "slow-int", pace: 1)
    let run = try rig.start(["run", "Fixtures/suites/demo.yaml", "--rig", slow.path, "--reports", rig.reports.path])
    let running = await ChildProcess.eventually {
      (try? rig.runFolder()).map { Self.events($0).contains("\"test_started\"") } ?? false
    }
    #expect(running)
    run.signal(SIGINT)
    #expect(await run.wait() == 130, "\(run.stdout)\n\(run.stderr)")

    let folder = try rig.runFolder()
    let events = Self.events(folder)
    let lines = events.split(separator: "\n")
    #expect(lines.last?.contains("\"run_finished\"") == true)
    #expect(lines.last?.contains("SIGINT") == true)
    let lastBoard = lines.last { $0.contains("\"board_state\"") }
    #expect(lastBoard?.contains("\"off\"") == true, "the last board state is off")
    let junit = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
    #expect(junit.contains(#"type="Interrupted""#))
    #expect(junit.contains(#"tests="4""#), "tests that never ran are still listed")
  }

  @Test("kill -9 mid-run: rig report rebuilds a JUnit in which unfinished tests are errored")
  func killed() async throws {
    let rig = try RigCommand()
    let slow = try rig.simulatedRig(name: "slow-kill", pace: 1)
    let run = try rig.start(["run", "Fixtures/suites/demo.yaml", "--rig", slow.path, "--reports", rig.reports.path])
    // Kill it while the second test runs, after the first has finished.
    let secondStarted = await ChildProcess.eventually {
      (try? rig.runFolder()).map {
        Self.events($0).components(separatedBy: "\"test_started\"").count >= 3
      } ?? false
    }
    #expect(secondStarted)
    run.signal(SIGKILL)
    _ = await run.wait()

    let folder = try rig.runFolder()
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("junit.xml").path))
    let report = try await rig.run(["report", folder.path])
    #expect(report.status == 2, "\(report.stdout)\n\(report.stderr)")
    let results = try JSONRenderer.parse(Data(contentsOf: folder.appendingPathComponent("results.json")))
    #expect(results.tests.map(\.name) == ["empty-room", "corridor-light", "lighting-change", "corridor-busy"])
    #expect(results.tests[0].verdict == .passed)
    #expect(results.tests.dropFirst().allSatisfy { $0.verdict == .errored })
    #expect(results.tests[1].message?.contains("ended before this test finished") == true)
    let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("ended before this test finished"), "the crashed run gets its report.html too")
    if Xmllint.executable != nil {
      let problems = try Xmllint.validateJUnit(folder.appendingPathComponent("junit.xml"))
      #expect(problems.isEmpty, "\(problems)")
    }
  }

  static func events(_ folder: URL) -> String {
    (try? String(contentsOf: folder.appendingPathComponent("events.ndjson"), encoding: .utf8)) ?? ""
  }
}

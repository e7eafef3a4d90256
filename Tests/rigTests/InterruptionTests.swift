// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// What a run leaves behind when it is stopped: by Ctrl-C, or killed outright.
@Suite("interrupted runs", .timeLimit(.minutes(3)))
struct InterruptionTests {
  @Test(
    "a signal mid-test on a real-time DUT: exit 128+n, the running test Interrupted (never a Hang), the bench off, reports written",
    arguments: [
      (SIGINT, "SIGINT", 130), (SIGTERM, "SIGTERM", 143), (SIGHUP, "SIGHUP", 129), (SIGQUIT, "SIGQUIT", 131),
      (SIGPIPE, "SIGPIPE", 141),
    ])
  func signalled(_ signal: Int32, _ name: String, _ status: Int32) async throws {
    let rig = try RigCommand()
    let slow = try rig.simulatedRig(name: "slow-\(name)", pace: 1)
    let run = try await rig.start(["run", "Fixtures/suites/demo.yaml", "--rig", slow.path, "--reports", rig.reports.path])
    try await Self.interruptMidTest(run, rig, with: signal, named: name, expecting: status)
  }

  @Test("standard output closed early (rig run | head -3): the run goes on to its end and writes every report")
  func stdoutClosed() async throws {
    let rig = try RigCommand()
    var ends: [Int32] = [-1, -1]
    #expect(pipe(&ends) == 0)
    _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
    let run = try await rig.start(
      ["run", "Fixtures/suites/demo.yaml", "--reports", rig.reports.path], output: ends[1])
    close(ends[1])
    // Read the first three lines, as `head -3` does, then go away.
    var seen = 0
    var buffer = [UInt8](repeating: 0, count: 4096)
    while seen < 3 {
      let n = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
      if n <= 0 { break }
      seen += buffer[..<n].filter { $0 == UInt8(ascii: "\n") }.count
    }
    close(ends[0])
    #expect(await run.wait() == 0, "rig ended badly: \(run.stderr)")
    let folder = try rig.runFolder()
    for file in ["events.ndjson", "junit.xml", "results.json", "summary.txt"] {
      #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
    }
    let results = try JSONRenderer.parse(Data(contentsOf: folder.appendingPathComponent("results.json")))
    #expect(results.tests.map(\.verdict) == [.passed, .passed, .passed, .passed])
  }

  @Test("SIGTERM mid-test on a hardware rig (rig sim board): the running test is Interrupted, the board off")
  func signalledHardware() async throws {
    let rig = try RigCommand()
    let slow = try rig.simulatedRig(name: "slow-board", pace: 1)
    let board = try await SimBoardProcess(rig, settings: slow)
    let hardware = try board.hardwareRig()
    let run = try await rig.start([
      "run", "Fixtures/suites/demo.yaml", "--rig", hardware.path, "--reports", rig.reports.path, "--no-flash",
    ])
    try await Self.interruptMidTest(run, rig, with: SIGTERM, named: "SIGTERM", expecting: 143)
    let power = try await rig.run(["sim", "power", board.dir, "status"])
    #expect(power.stdout == "power: off\n", "\(power.stdout)\(power.stderr)")
    try await board.stop()
  }

  /// Signals `run` once frames stream in its first test, then checks what it left.
  static func interruptMidTest(
    _ run: TestProcess, _ rig: RigCommand, with signal: Int32, named name: String, expecting status: Int32
  ) async throws {
    // Frames stream once the first test's console log holds frame records.
    let streaming = await TestProcess.eventually {
      guard let folder = try? rig.runFolder() else { return false }
      let log = (try? String(contentsOf: folder.appendingPathComponent("artifacts/empty-room/console.log"), encoding: .utf8)) ?? ""
      return log.components(separatedBy: "~T1 frame ").count > 4
    }
    #expect(streaming, "\(run.stdout)\n\(run.stderr)")
    run.signal(signal)
    #expect(await run.wait() == status, "\(run.stdout)\n\(run.stderr)")

    let folder = try rig.runFolder()
    let lines = events(folder).split(separator: "\n")
    #expect(lines.last?.contains("\"run_finished\"") == true)
    #expect(lines.last?.contains(name) == true)
    let lastBoard = lines.last { $0.contains("\"board_state\"") }
    #expect(lastBoard?.contains("\"off\"") == true, "the last board state is off")
    let results = try JSONRenderer.parse(Data(contentsOf: folder.appendingPathComponent("results.json")))
    #expect(results.tests.count == 4, "tests that never ran are still listed")
    #expect(results.tests[0].errorType == "Interrupted", "\(results.tests[0].message ?? "")")
    #expect(results.tests[0].message == "interrupted by \(name)")
    #expect(results.tests.allSatisfy { $0.errorType == "Interrupted" })
    let junit = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
    #expect(!junit.contains(#"type="Hang""#) && !junit.contains(#"type="Timeout""#))
  }

  @Test("kill -9 mid-run: rig report rebuilds a JUnit in which unfinished tests are errored")
  func killed() async throws {
    let rig = try RigCommand()
    let slow = try rig.simulatedRig(name: "slow-kill", pace: 1)
    let run = try await rig.start(["run", "Fixtures/suites/demo.yaml", "--rig", slow.path, "--reports", rig.reports.path])
    // Kill it while the second test runs, after the first has finished.
    let secondStarted = await TestProcess.eventually {
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
      let problems = try await Xmllint.validateJUnit(folder.appendingPathComponent("junit.xml"))
      #expect(problems.isEmpty, "\(problems)")
    }
  }

  static func events(_ folder: URL) -> String {
    (try? String(contentsOf: folder.appendingPathComponent("events.ndjson"), encoding: .utf8)) ?? ""
  }
}

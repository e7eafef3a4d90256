// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// `rig run` on a pool of rigs: the suite's tests shared among them, one run folder and one
/// report with a testsuite per rig, and a rig that breaks leaving its tests to the others.
@Suite("a pool of rigs on one host", .timeLimit(.minutes(TestTime.minutes(3))))
struct PoolRunTests {
  @Test("the demo suite on the shipped pool of three simulated rigs passes: each test once, a testsuite per rig")
  func threeSimulatedRigs() async throws {
    let rig = try RigCommand()
    let result = try await rig.run([
      "run", "Fixtures/suites/demo.yaml", "--pool", "Rigs/farm/pool.yaml", "--reports", rig.reports.path,
    ])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    let folder = try rig.runFolder()
    let run = try Self.results(folder)
    #expect(run.tests.map(\.name) == ["empty-room", "corridor-light", "lighting-change", "corridor-busy"])
    #expect(run.tests.allSatisfy { $0.verdict == .passed && ["sim-a", "sim-b", "sim-c"].contains($0.rig ?? "") })
    #expect(run.rigs?.map(\.name) == ["sim-a", "sim-b", "sim-c"])
    #expect(run.rigs?.allSatisfy { $0.state == .finished } == true)
    // Each test's files are in its rig's folder, named in the report.
    for test in run.tests {
      for attachment in test.attachments {
        #expect(attachment.hasPrefix("rigs/\(test.rig ?? "")/artifacts/\(test.name)/"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(attachment).path), "\(attachment)")
      }
    }
    let junit = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
    for name in ["sim-a", "sim-b", "sim-c"] {
      #expect(junit.contains("<testsuite name=\"people-counting-demo@\(name)\""), "a testsuite for \(name)")
      #expect(junit.contains("<property name=\"rig.id\" value=\"\(name)\"/>"))
    }
    // Dashboards follow a test by classname and name, whichever rig ran it.
    #expect(junit.contains("<testcase name=\"corridor-busy\" classname=\"people-counting-demo\""))
    #expect(junit.contains("[[PROPERTY|rig.id="))
    if Xmllint.executable != nil {
      let problems = try await Xmllint.validateJUnit(folder.appendingPathComponent("junit.xml"))
      #expect(problems.isEmpty, "\(problems)")
    }
    // The run-level events.ndjson alone rebuilds the same report.
    let rebuilt = try await rig.run(["report", folder.path])
    #expect(rebuilt.status == 0, "\(rebuilt.stdout)\n\(rebuilt.stderr)")
    #expect(try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8) == junit)
  }

  @Test("a board unplugged mid-run: its test goes to another rig, the rig is out with why, and the run exits 3")
  func boardUnpluggedMidRun() async throws {
    let rig = try RigCommand()
    let good = try rig.simulatedRig(name: "good")
    let bad = try rig.simulatedRig(name: "unplugged", extra: "  faults: [{ kind: unplug, frame: 20 }]")
    let result = try await rig.run([
      "run", "Fixtures/suites/demo.yaml", "--rig", good.path, "--rig", bad.path, "--no-flash",
      "--reports", rig.reports.path,
    ])
    #expect(result.status == 3, "every test passed, on the rig left: \(result.stdout)\n\(result.stderr)")
    let run = try Self.results(try rig.runFolder())
    #expect(run.tests.count == 4 && run.tests.allSatisfy { $0.verdict == .passed && $0.rig == "good" })
    let out = try #require(run.rigs?.first { $0.name == "unplugged" })
    #expect(out.state == .removed)
    #expect(out.reason?.contains("its power switch failed") == true, "\(out.reason ?? "")")
    let moved = run.tests.filter { $0.details?.contains("first attempted on unplugged, which broke") == true }
    #expect(moved.count == 1, "the test it was running says it moved: \(run.tests.map { $0.details ?? "" })")
    #expect(result.stdout.contains("RIG    unplugged removed: taken out of the pool"), "\(result.stdout)")
  }

  @Test("three rig sim board instances through the hardware path: the pool passes, a testsuite per board")
  func threeBoardsHardwarePath() async throws {
    let rig = try RigCommand()
    var boards: [SimBoardProcess] = []
    var files: [String] = []
    for name in ["board-a", "board-b", "board-c"] {
      let board = try await SimBoardProcess(rig, folder: name)
      boards.append(board)
      files += ["--rig", try board.hardwareRig(name: name).path]
    }
    let result = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--no-flash", "--reports", rig.reports.path] + files)
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    let run = try Self.results(try rig.runFolder())
    #expect(run.tests.count == 4 && run.tests.allSatisfy { $0.verdict == .passed })
    let junit = try String(contentsOf: try rig.runFolder().appendingPathComponent("junit.xml"), encoding: .utf8)
    for name in ["board-a", "board-b", "board-c"] {
      #expect(junit.contains("<testsuite name=\"people-counting-demo@\(name)\""))
    }
    for board in boards { try await board.stop() }
  }

  @Test("a rig sim board killed mid-run: its test and the rest go to the other boards, the report says so")
  func boardKilledMidRun() async throws {
    let rig = try RigCommand()
    let paced = try rig.simulatedRig(name: "paced", pace: 1)
    _ = try rig.copyClip("empty-room")
    let suite = try rig.write(
      "six.yaml",
      "suite: six\ntests:\n" + (1...6).map { "  - { name: t\($0), clip: clips/empty-room }" }.joined(separator: "\n"))
    var boards: [SimBoardProcess] = []
    var files: [String] = []
    for name in ["board-a", "board-b", "board-c"] {
      let board = try await SimBoardProcess(rig, settings: paced, folder: name)
      boards.append(board)
      files += ["--rig", try board.hardwareRig(reconnect: "1s", name: name).path]
    }
    let run = try await rig.start(["run", suite.path, "--reports", rig.reports.path] + files)
    #expect(await TestProcess.eventually { run.stdout.contains("[board-b] > t") }, "\(run.stdout)\(run.stderr)")
    boards[1].child.signal(SIGKILL)
    let status = await run.wait()
    #expect(status == 3, "every test passed on the two boards left: \(run.stdout)\n\(run.stderr)")
    let result = try Self.results(try rig.runFolder())
    #expect(result.tests.count == 6 && result.tests.allSatisfy { $0.verdict == .passed && $0.rig != "board-b" })
    let removed = try #require(result.rigs?.first { $0.name == "board-b" })
    #expect(removed.state == .removed && removed.reason?.contains("taken out of the pool") == true, "\(removed)")
    #expect(result.tests.contains { $0.details?.contains("first attempted on board-b") == true })
    try await boards[0].stop()
    try await boards[2].stop()
  }

  @Test("two rigs of one pool on the same console: the second is out, naming the first's run and rig")
  func sharedConsoleInAPool() async throws {
    let rig = try RigCommand()
    let board = try await SimBoardProcess(rig)
    let first = try board.hardwareRig(name: "first")
    let second = try rig.write(
      "second.yaml", try String(contentsOf: first, encoding: .utf8).replacingOccurrences(of: "rig: first", with: "rig: second"))
    let result = try await rig.run([
      "run", "Fixtures/suites/demo.yaml", "--rig", first.path, "--rig", second.path, "--no-flash",
      "--reports", rig.reports.path,
    ])
    #expect(result.status == 3, "\(result.stdout)\n\(result.stderr)")
    let run = try Self.results(try rig.runFolder())
    let out = try #require(run.rigs?.first { $0.state == .unavailable })
    #expect(out.reason?.contains("is in use by pid") == true && out.reason?.contains("on rig '") == true, "\(out.reason ?? "")")
    #expect(run.tests.allSatisfy { $0.verdict == .passed })
    try await board.stop()
  }

  @Test("every rig of a pool unavailable: exit 69, and a junit.xml with every test errored")
  func wholePoolUnavailable() async throws {
    let rig = try RigCommand()
    var files: [String] = []
    for name in ["gone-a", "gone-b"] {
      let absent = rig.scratch.appendingPathComponent("no-console-\(name)").path
      files += [
        "--rig",
        try rig.write(
          "\(name).yaml",
          """
          rig: \(name)
          board: virtual-rt1062
          power: { command: { on: ["true"], off: ["true"] } }
          console: { port: \(absent), reconnect: 0s }
          """
        ).path,
      ]
    }
    let result = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--no-flash", "--reports", rig.reports.path] + files)
    #expect(result.status == 69, "\(result.stdout)\n\(result.stderr)")
    let run = try await NotStartedReportTests.expectReports(rig, status: 69)
    #expect(run.tests.count == 4 && run.tests.allSatisfy { $0.verdict == .errored && $0.errorType == "RigUnavailable" })
    #expect(run.tests[0].message?.contains("gone-a unavailable") == true, "\(run.tests[0].message ?? "")")
  }

  static func results(_ folder: URL) throws -> RunResult {
    try JSONRenderer.parse(Data(contentsOf: folder.appendingPathComponent("results.json")))
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// A run's evidence (events, console logs, frame CSVs, reports) when it cannot all be written,
/// when the report folder is unusable, and after a kill: never silently incomplete.
@Suite("a run's evidence on disk", .timeLimit(.minutes(TestTime.minutes(3))))
struct EvidenceTests {
  /// The run history's database would meet the size limit first; these tests are about the run
  /// folder.
  static let noHistory = ["RIG_HISTORY": "off"]

  /// `rig run` of the demo suite under a file-size limit (`prlimit`, as `ulimit -f` does).
  private func runLimited(_ rig: RigCommand, fileSize: Int) async throws -> RigCommand.Result {
    // Once without the limit: the first run flashes the simulated board, whose flash file is
    // larger than any limit here.
    let first = try await rig.run(
      [
        "run", "Fixtures/suites/demo.yaml", "--only", "empty-room",
        "--reports", rig.scratch.appendingPathComponent("warm-up").path,
      ], environment: Self.noHistory)
    #expect(first.status == 0, "\(first.stderr)")
    let child = try await TestProcess(
      URL(fileURLWithPath: "/usr/bin/prlimit"),
      ["--fsize=\(fileSize)", RigCommand.executable.path, "run", "Fixtures/suites/demo.yaml",
       "--reports", rig.reports.path],
      in: RigCommand.repositoryRoot, environment: rig.environment.merging(Self.noHistory) { $1 })
    let status = await child.wait()
    return RigCommand.Result(status: status, stdout: child.stdout, stderr: child.stderr)
  }

  /// ThreadSanitizer's runtime faults (SIGBUS in its own shadow memory) in any process under a
  /// file-size limit, before rig's code runs (`prlimit --fsize=24576 rig --version` dies too).
  static let fileSizeLimitWorks = Testing.ConditionTrait.disabled(
    if: TestTime.sanitizer == "thread", "ThreadSanitizer's runtime cannot run under a file-size limit")

  @Test(
    "a console log cut by a full disk or a size limit: exit 74, the file named on stderr and in the events",
    fileSizeLimitWorks)
  func consoleLogCut() async throws {
    let rig = try RigCommand()
    // Only corridor-busy's console log (27 KB) is larger than this.
    let result = try await runLimited(rig, fileSize: 24576)
    #expect(result.status == 74, "\(result.stdout)\n\(result.stderr)")
    let cut = "artifacts/corridor-busy/console.log is incomplete: cut after 24576 bytes (File too large)"
    #expect(result.stderr.contains("error: the run's evidence is incomplete (exit 74):"))
    #expect(result.stderr.contains(cut), "\(result.stderr)")
    let folder = try rig.runFolder()
    let events = try String(contentsOf: folder.appendingPathComponent("events.ndjson"), encoding: .utf8)
    #expect(events.contains(cut), "noted in the events while they can still be written")
    #expect(result.stdout.contains("reports: \(folder.path)/ (junit.xml, results.json, events.ndjson)")
      || result.stdout.contains("(junit.xml, results.json, events.ndjson)"))
    #expect(result.stdout.contains("- exit 74"), "the summary gives the exit status rig returns")
    let summary = try String(contentsOf: folder.appendingPathComponent("summary.txt"), encoding: .utf8)
    #expect(summary.contains("- exit 74"))
  }

  @Test("reports that cannot be written: exit 74, each missing report named, none claimed", fileSizeLimitWorks)
  func reportsNotWritten() async throws {
    let rig = try RigCommand()
    let result = try await runLimited(rig, fileSize: 2048)
    #expect(result.status == 74, "\(result.stdout)\n\(result.stderr)")
    let folder = try rig.runFolder()
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("junit.xml").path))
    #expect(result.stderr.contains("junit.xml was not written (File too large)"), "\(result.stderr)")
    #expect(result.stderr.contains("events.ndjson is incomplete: cut after 2048 bytes"))
    #expect(!result.stdout.contains("junit.xml"), "the reports line names only what was written")
  }

  @Test(
    "--reports that cannot hold a run folder: exit 73 naming it, before the bench is touched",
    arguments: ["/dev/null", "/proc/rig-no-such-folder", "afile/x"])
  func unusableReportFolder(_ reports: String) async throws {
    let rig = try RigCommand()
    let path = reports == "afile/x" ? try rig.write("afile", "not a folder\n").path + "/x" : reports
    let result = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--reports", path])
    #expect(result.status == 73, "\(result.stdout)\n\(result.stderr)")
    #expect(result.stderr.contains("cannot create the report folder \(path)/"), "\(result.stderr)")
    #expect(result.stderr.contains("(give --reports a folder you can write to)"))
    #expect(!result.stderr.contains("Domain="), "no raw Foundation error text")
    #expect(!result.stdout.contains("board booted"), "nothing touched the bench")
  }

  @Test("rig report of a path that is not a run: exit 66 with what to give instead")
  func reportOfNothing() async throws {
    let rig = try RigCommand()
    let missing = try await rig.run(["report", rig.scratch.appendingPathComponent("nope").path])
    #expect(missing.status == 66, "\(missing.stderr)")
    #expect(missing.stderr.contains("nope: no such run folder or events file (give a run folder"))
    #expect(!missing.stderr.contains("Domain="))
    let empty = try await rig.run(["report", rig.scratch.path])
    #expect(empty.status == 66, "\(empty.stderr)")
    #expect(empty.stderr.contains("has no events.ndjson: it is not a run folder"))
  }

  @Test("kill -9 mid-test: rig report attaches the running test's console log and frames, and times it")
  func killedTestKeepsItsArtifacts() async throws {
    let rig = try RigCommand()
    let slow = try rig.simulatedRig(name: "slow-artifacts", pace: 1)
    let run = try await rig.start([
      "run", "Fixtures/suites/demo.yaml", "--rig", slow.path, "--reports", rig.reports.path,
    ])
    // Kill it once the second test has judged a few frames, and before it finishes.
    let framesJudged = await TestProcess.eventually {
      guard let folder = try? rig.runFolder() else { return false }
      let csv = folder.appendingPathComponent("artifacts/corridor-light/frames.csv")
      let text = (try? String(contentsOf: csv, encoding: .utf8)) ?? ""
      return text.split(separator: "\n").count > 5
    }
    let events = (try? String(
      contentsOf: rig.runFolder().appendingPathComponent("events.ndjson"), encoding: .utf8)) ?? ""
    let finished = events.split(separator: "\n").contains {
      $0.contains("\"test_finished\"") && $0.contains("\"corridor-light\"")
    }
    #expect(framesJudged && !finished, "frames.csv grows while its test runs")
    run.signal(SIGKILL)
    _ = await run.wait()

    let folder = try rig.runFolder()
    let report = try await rig.run(["report", folder.path])
    #expect(report.status == 2, "\(report.stdout)\n\(report.stderr)")
    let results = try JSONRenderer.parse(Data(contentsOf: folder.appendingPathComponent("results.json")))
    let cut = try #require(results.tests.first { $0.name == "corridor-light" })
    #expect(cut.attachments == ["artifacts/corridor-light/frames.csv", "artifacts/corridor-light/console.log"])
    #expect(cut.duration > 0.1, "timed to the last write of its artifacts")
    let rows = try RigCommand.csvRows(folder.appendingPathComponent("artifacts/corridor-light/frames.csv"))
    #expect(rows.count >= 5, "rows reached the disk as they were judged")
    let junit = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
    #expect(junit.contains("artifacts/corridor-light/console.log]]"))
  }

  @Test("rig report . keeps attachment paths relative to the run folder")
  func reportHereStaysRelative() async throws {
    let rig = try RigCommand()
    let result = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--reports", rig.reports.path])
    #expect(result.status == 0, "\(result.stderr)")
    let folder = try rig.runFolder()
    let child = try await TestProcess(
      RigCommand.executable, ["report", "."], in: folder, environment: rig.environment)
    #expect(await child.wait() == 0, "\(child.stderr)")
    let junit = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
    #expect(junit.contains("[[ATTACHMENT|artifacts/empty-room/frames.csv]]"), "\(junit.prefix(2000))")
    #expect(!junit.contains("[[ATTACHMENT|/"))
  }
}

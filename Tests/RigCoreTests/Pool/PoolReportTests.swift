// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

/// The reports of a run on several rigs: rebuilt from its events, one JUnit testsuite per rig,
/// exit 3 for a degraded bench; and shards merged into one run.
@Suite("reports of a pool and merged shards")
struct PoolReportTests {
  static let start = Date(timeIntervalSince1970: 1_795_639_205)

  static func result(_ name: String, rig: String?, _ verdict: Verdict = .passed) -> TestResult {
    TestResult(
      name: name, classname: "demo", verdict: verdict, startedAt: start, duration: 1.5,
      metrics: [MetricValue(.countMAE, 0.1)], attachments: rig.map { ["rigs/\($0)/artifacts/\(name)/frames.csv"] } ?? [],
      rig: rig)
  }

  static func poolEvents(bOut: RigRun.State = .finished, failed: Bool = false) -> [TimedEvent] {
    let planned = ["a-test", "b-test", "lonely"].map { PlannedTest(name: $0, classname: "demo", clip: "", frames: 10, tags: []) }
    let events: [RunEvent] = [
      .runStarted(RunStart(
        runID: "r1", suite: "demo", suiteFile: "demo.yaml", rig: "a+b", rigFile: "", startedAt: start,
        plannedTests: planned, properties: [.init("run.id", "r1"), .init("tool.version", "rig 0.1.0")])),
      .rigState(RigRun(name: "a", file: "a.yaml", board: "evk", state: .starting)),
      .rigState(RigRun(name: "b", file: "b.yaml", board: "evkb", state: .starting)),
      .testFinished(result("a-test", rig: "a", failed ? .failed : .passed)),
      .testFinished(result("b-test", rig: "a")),
      .rigState(RigRun(
        name: "a", file: "a.yaml", board: "evk", state: .finished,
        properties: [.init("fw.image_hash", "abc"), .init("board.id", "usb:1234")])),
      .rigState(RigRun(name: "b", file: "b.yaml", board: "evkb", state: bOut, reason: bOut == .finished ? nil : "its power switch failed")),
      .testFinished(TestResult(name: "lonely", classname: "demo", verdict: .skipped, message: "no rig of the pool can run it")),
      .runFinished(RunFinish(interruption: nil, exitStatus: 0)),
    ]
    return events.map { TimedEvent(at: start, $0) }
  }

  @Test("the rigs' last states are the run's rigs; a rig out with every test passed is exit 3, a failure still 1")
  func rebuildAndExit() throws {
    let run = try RunResultBuilder.build(Self.poolEvents(bOut: .removed))
    #expect(run.rigs?.map(\.name) == ["a", "b"])
    #expect(run.rigs?.map(\.state) == [.finished, .removed])
    #expect(run.tests.map(\.rig) == ["a", "a", nil])
    #expect(ExitStatus(run: run) == .benchDegraded)
    #expect(ExitStatus(run: try RunResultBuilder.build(Self.poolEvents())) == .allPassed)
    #expect(ExitStatus(run: try RunResultBuilder.build(Self.poolEvents(bOut: .quarantined, failed: true))) == .testFailed)
    #expect(ExitStatus.benchDegraded.evidence(complete: false) == .evidenceIncomplete)
    let single = try RunResultBuilder.build(ReportSamples.completeEvents)
    #expect(single.rigs == nil, "a run on one rig has no rig sections")
  }

  @Test("JUnit: a testsuite per rig with its properties, the rig and board in each testcase, a placeholder for a rig that ran nothing")
  func junit() throws {
    let run = try RunResultBuilder.build(Self.poolEvents(bOut: .quarantined))
    let xml = JUnitRenderer.render(run, attachmentRoot: "Reports/r1")
    let root = try #require(try? XMLTree.parse(xml).get())
    let suites = root.children.filter { $0.name == "testsuite" }
    #expect(suites.map { $0.attributes["name"] } == ["demo@a", "demo@b", "demo@not-run"])
    let properties = suites[0].children.first { $0.name == "properties" }?.children
      .map { ($0.attributes["name"] ?? "", $0.attributes["value"] ?? "") } ?? []
    #expect(properties.contains { $0 == ("rig.id", "a") } && properties.contains { $0 == ("fw.image_hash", "abc") })
    #expect(properties.contains { $0 == ("rig.state", "finished") } && properties.contains { $0 == ("run.id", "r1") })
    let cases = suites[0].children.filter { $0.name == "testcase" }
    #expect(cases.map { $0.attributes["classname"] } == ["demo", "demo"], "the same identity whichever rig ran it")
    let out = cases[0].children.first { $0.name == "system-out" }?.text ?? ""
    #expect(out.contains("[[PROPERTY|rig.id=a]]") && out.contains("[[PROPERTY|rig.board=evk]]") && out.contains("[[PROPERTY|board.id=usb:1234]]"))
    let placeholder = suites[1].children.first { $0.name == "testcase" }
    #expect(placeholder?.attributes["name"] == "no tests")
    #expect(placeholder?.children.first { $0.name == "skipped" }?.attributes["message"] == "no test ran on b (quarantined: its power switch failed)")
    #expect(root.attributes["tests"] == "4")
  }

  @Test("report.html: a rigs section with each rig's state, reason and tests; each test says its rig; exit 3 named")
  func html() throws {
    let run = try RunResultBuilder.build(Self.poolEvents(bOut: .quarantined))
    let page = HTMLRenderer.render(run, frames: [:])
    let rigs = try #require(page.range(of: "<section id=\"rigs\"").map { String(page[$0.lowerBound...]) })
    let table = String(rigs.prefix(while: { $0 != "§" }).prefix(2_000))
    #expect(table.contains("! quarantined</span><br><span class=\"muted\">its power switch failed</span>"))
    #expect(table.contains("evk usb:1234"), "the board and its id")
    #expect(table.contains("<td class=\"n\">2</td>") && table.contains("<td class=\"n\">0</td>"))
    #expect(page.contains("on rig <bdi>a</bdi>"))
    #expect(page.contains("exit 3: bench degraded"))
    let single = HTMLRenderer.render(try RunResultBuilder.build(ReportSamples.completeEvents), frames: [:])
    #expect(!single.contains("id=\"rigs\""), "a run on one rig has no rigs section")
  }

  @Test("merging shards: every test once under its shard's rig, attachments moved, properties shared")
  func merge() throws {
    func shard(_ k: Int, tests: [String], version: String = "rig 0.1.0", suite: String = "demo") -> RunMerge.Part {
      let run = RunResult(
        runID: "s\(k)", suite: suite, rig: "sim", startedAt: Self.start.addingTimeInterval(Double(k)), duration: 10,
        properties: [.init("tool.version", version), .init("shard", "\(k)/3"), .init("suite.file", "demo.yaml"), .init("rig.board", "virtual")],
        tests: tests.map { TestResult(name: $0, classname: suite, verdict: .passed, duration: 1, attachments: ["artifacts/\($0)/frames.csv"]) })
      return RunMerge.Part(run: run, folder: "shards/s\(k)")
    }
    let events = try RunMerge.events([shard(2, tests: ["c"]), shard(1, tests: ["a", "b"])], runID: "merged")
    let run = try RunResultBuilder.build(events)
    #expect(run.tests.map(\.name) == ["a", "b", "c"], "in shard order")
    #expect(run.tests.map(\.rig) == ["sim (shard 1/3)", "sim (shard 1/3)", "sim (shard 2/3)"])
    #expect(run.tests[0].attachments == ["shards/s1/artifacts/a/frames.csv"])
    #expect(run.rigs?.map(\.origin) == ["shards/s1", "shards/s2"])
    #expect(run.properties.contains(.init("merge.missing_shards", "3/3")))
    #expect(run.properties.contains(.init("suite.file", "demo.yaml")))
    #expect(!run.properties.contains { $0.name == "shard" })

    #expect(throws: RigError.self) { try RunMerge.events([shard(1, tests: ["a"]), shard(2, tests: ["a"])], runID: "m") }
    do {
      _ = try RunMerge.events([shard(1, tests: ["a"]), shard(2, tests: ["b"], version: "rig 0.2.0")], runID: "m")
      Issue.record("different versions merged")
    } catch {
      #expect(error.message.contains("different versions of rig: rig 0.1.0 (shards/s1); rig 0.2.0 (shards/s2)"), "\(error.message)")
    }
    do {
      _ = try RunMerge.events([shard(1, tests: ["a"]), shard(2, tests: ["b"], suite: "other")], runID: "m")
      Issue.record("different suites merged")
    } catch {
      #expect(error.message.hasPrefix("these runs are of different suites: 'demo' (shards/s1); 'other' (shards/s2)"), "\(error.message)")
    }
  }
}

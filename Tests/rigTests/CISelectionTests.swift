// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// What CI needs of `rig run` beyond running a suite: a report whatever happens, the plan as
/// JSON, a re-run of what failed, a quarantine list of known-bad tests, more time on a slow host.
@Suite("CI options of rig run and rig list", .timeLimit(.minutes(TestTime.minutes(3))))
struct CISelectionTests {
  @Test("a suite that does not load still writes junit.xml and results.json: each test errored with the problems, exit 78")
  func unloadableSuite() async throws {
    let rig = try RigCommand()
    _ = try rig.copyClip("empty-room")
    let suite = try rig.write(
      "broken.yaml",
      """
      suite: broken
      tests:
        - { name: here, clip: clips/empty-room, tags: [smoke] }
        - { name: missing, clip: clips/no-such-clip }
        - { name: misspelt, clip: clips/empty-room, limits: { count.mea: "<= 1" } }
      """)
    let result = try await rig.run(["run", suite.path, "--reports", rig.reports.path])
    #expect(result.status == 78, "\(result.stdout)\n\(result.stderr)")
    #expect(result.stderr.contains("no-such-clip"), "the problems are printed as before: \(result.stderr)")
    let run = try await NotStartedReportTests.expectReports(rig, status: 78)
    #expect(run.suite == "broken")
    #expect(run.tests.map(\.name) == ["here", "missing", "misspelt"])
    #expect(run.tests.allSatisfy { $0.verdict == .errored && $0.errorType == "ConfigError" })
    #expect(run.tests[0].details?.contains("no-such-clip") == true && run.tests[0].details?.contains("count.mea") == true)

    // --only narrows the selection as it would have.
    try FileManager.default.removeItem(at: rig.reports)
    _ = try await rig.run(["run", suite.path, "--tag", "smoke", "--reports", rig.reports.path])
    #expect(try await NotStartedReportTests.expectReports(rig, status: 78).tests.map(\.name) == ["here"])

    // Not even YAML: one test named "suite" stands for the file.
    try FileManager.default.removeItem(at: rig.reports)
    let garbage = try rig.write("garbage.yaml", "suite: [unclosed\n")
    let bad = try await rig.run(["run", garbage.path, "--reports", rig.reports.path])
    #expect(bad.status == 78)
    let standIn = try await NotStartedReportTests.expectReports(rig, status: 78)
    #expect(standIn.suite == "garbage" && standIn.tests.map(\.name) == ["suite"])
  }

  @Test("--only-failed reruns what failed or errored in an earlier run folder; nothing failed, nothing runs")
  func onlyFailed() async throws {
    let rig = try RigCommand()
    let first = try await rig.run([
      "run", "Fixtures/suites/regression.yaml", "--rig", "Rigs/sim-regression.yaml", "--reports", rig.reports.path,
    ])
    #expect(first.status == 2)
    let earlier = try rig.runFolder()
    let again = rig.scratch.appendingPathComponent("again")
    let rerun = try await rig.run([
      "run", "Fixtures/suites/regression.yaml", "--rig", "Rigs/sim-regression.yaml", "--only-failed", earlier.path,
      "--reports", again.path,
    ])
    #expect(rerun.status == 2, "\(rerun.stdout)\n\(rerun.stderr)")
    let folder = again.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: again.path)[0])
    let run = try PoolRunTests.results(folder)
    #expect(run.tests.map(\.name) == ["corridor-light", "corridor-busy"])
    #expect(run.properties.contains(.init("only_failed", earlier.path)))

    let passing = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--only", "empty-room", "--reports", rig.reports.path])
    #expect(passing.status == 0)
    let none = try await rig.run([
      "run", "Fixtures/suites/demo.yaml", "--only-failed", try rig.runFolder().path, "--reports", rig.reports.path,
    ])
    #expect(none.status == 0 && none.stdout.contains("nothing to re-run"), "\(none.stdout)")
    let otherSuite = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--only-failed", earlier.path])
    #expect(otherSuite.status == 64 && otherSuite.stderr.contains("is a run of suite 'people-counting-regression'"))
  }

  @Test("a quarantine list skips known-bad tests with its reason; --timeout-multiplier stretches every deadline")
  func quarantineListAndTimeouts() async throws {
    let rig = try RigCommand()
    let list = try rig.write(
      "known-bad.yaml",
      """
      - tests: [corridor-busy]
        reason: "FW-1234: over-counts in dense scenes"
      - tests: [no-such-test]
        reason: stale
      """)
    let result = try await rig.run([
      "run", "Fixtures/suites/demo.yaml", "--quarantine", list.path, "--timeout-multiplier", "2.5",
      "--reports", rig.reports.path,
    ])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    #expect(result.stderr.contains("names tests this suite does not have: no-such-test"))
    let run = try PoolRunTests.results(try rig.runFolder())
    let busy = try #require(run.tests.first { $0.name == "corridor-busy" })
    #expect(busy.verdict == .skipped)
    #expect(busy.message == "quarantined: FW-1234: over-counts in dense scenes (\(list.path):1)", "\(busy.message ?? "")")
    #expect(run.properties.contains(.init("timeout.multiplier", "2.5")))

    let plan = try await rig.run(["list", "Fixtures/suites/demo.yaml", "--json", "--timeout-multiplier", "2.5", "--quarantine", list.path])
    let document = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
    let tests = try #require(document["tests"] as? [[String: Any]])
    #expect(tests.map { $0["timeout_seconds"] as? Double } == [150, 150, 150, 150])
    #expect(tests.last?["skip"] as? String == busy.message)

    let wrong = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--timeout-multiplier", "0"])
    #expect(wrong.status == 64 && wrong.stderr.contains("--timeout-multiplier 0.0: give a factor above 0"), "\(wrong.stderr)")
    let shard = try await rig.run(["list", "Fixtures/suites/demo.yaml", "--shard", "4/3"])
    #expect(shard.status == 64 && shard.stderr.contains("give the shard as k/n with 1 ≤ k ≤ n"), "\(shard.stderr)")
  }

  @Test("tests go only to rigs that can run them: requires: in the suite, tags: in the rig file; --each-rig runs each on every rig")
  func routing() async throws {
    let rig = try RigCommand()
    _ = try rig.copyClip("empty-room")
    let suite = try rig.write(
      "routed.yaml",
      """
      suite: routed
      tests:
        - { name: anywhere, clip: clips/empty-room }
        - { name: evkb-only, clip: clips/empty-room, requires: [evkb] }
        - { name: nowhere, clip: clips/empty-room, requires: [teensy] }
      """)
    let plain = try rig.simulatedRig(name: "plain")
    let evkb = try rig.simulatedRig(name: "evkb-board", extra: "tags: [evkb]")
    let once = try await rig.run(["run", suite.path, "--rig", plain.path, "--rig", evkb.path, "--reports", rig.reports.path])
    #expect(once.status == 0, "\(once.stdout)\n\(once.stderr)")
    let run = try PoolRunTests.results(try rig.runFolder())
    #expect(run.tests.first { $0.name == "evkb-only" }?.rig == "evkb-board")
    let nowhere = try #require(run.tests.first { $0.name == "nowhere" })
    #expect(nowhere.verdict == .skipped && nowhere.message?.contains("no rig of the pool can run it") == true)
    #expect(nowhere.message?.contains("plain: it lacks the tag teensy") == true, "\(nowhere.message ?? "")")

    let each = rig.scratch.appendingPathComponent("each")
    let all = try await rig.run(["run", suite.path, "--rig", plain.path, "--rig", evkb.path, "--each-rig", "--reports", each.path])
    #expect(all.status == 0, "\(all.stdout)\n\(all.stderr)")
    let folder = each.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: each.path)[0])
    let everywhere = try PoolRunTests.results(folder)
    #expect(everywhere.tests.map(\.name) == [
      "anywhere@plain", "anywhere@evkb-board", "evkb-only@plain", "evkb-only@evkb-board", "nowhere@plain",
      "nowhere@evkb-board",
    ])
    #expect(everywhere.tests.filter { $0.verdict == .passed }.map(\.name) == ["anywhere@plain", "anywhere@evkb-board", "evkb-only@evkb-board"])
    #expect(everywhere.tests.allSatisfy { $0.rig != nil && $0.name.hasSuffix("@\($0.rig!)") })
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// report.html as `rig run` and `rig report` write it, on the simulated bench.
@Suite("report.html, end to end", .timeLimit(.minutes(3)))
struct ReportHTMLCommandTests {
  @Test("the regression run's report puts the failed test first, with the frames it counted wrong")
  func regression() async throws {
    let rig = try RigCommand()
    let result = try await rig.run([
      "run", "Fixtures/suites/regression.yaml", "--rig", "Rigs/sim-regression.yaml", "--reports", rig.reports.path,
    ])
    #expect(result.status == 2)
    let folder = try rig.runFolder()
    #expect(result.stdout.contains("report: \(folder.path)/report.html") || result.stdout.contains("/report.html"))
    let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
    let main = try #require(html.range(of: "<main>"))
    let problems = try #require(html.range(of: "<section id=\"problems\""))
    let firstTest = try #require(html.range(of: "<section class=\"test\""))
    #expect(main.upperBound == problems.lowerBound, "the failures come first")
    #expect(html[firstTest.lowerBound...].hasPrefix("<section class=\"test\" id=\"t2-corridor-light\""))
    let failed = html[firstTest.lowerBound...]
    #expect(failed.contains("frames counted wrong"))
    #expect(failed.contains("first wrong count: frame"))
    #expect(failed.contains("frame 30: counted 3, label 2 (+1)"), "the injected over-count from frame 30")
    #expect(html.contains("href=\"artifacts/corridor-light/frames.csv\""))
    #expect(html.contains("! ERRORED</span> <a href=\"#t3-corridor-busy\">"))
  }

  @Test("rig report writes report.html again from the events alone, the same page")
  func rebuilt() async throws {
    let rig = try RigCommand()
    _ = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--reports", rig.reports.path])
    let page = try rig.runFolder().appendingPathComponent("report.html")
    let original = try Data(contentsOf: page)
    try FileManager.default.removeItem(at: page)
    let again = try await rig.run(["report", try rig.runFolder().path])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try Data(contentsOf: page) == original)
    let html = String(decoding: original, as: UTF8.self)
    #expect(html.components(separatedBy: "<section class=\"test\"").count == 5, "four test sections")
    #expect(html.components(separatedBy: "<svg class=\"chart\"").count == 1 + 4 * 6, "six charts a test")
  }

  @Test("with history: each test against its baseline and the last nightlies; a regression listed first")
  func againstBaseline() async throws {
    let rig = try RigCommand()
    let history = rig.scratch.appendingPathComponent("history.sqlite").path
    let suite = try rig.write(
      "one.yaml",
      """
      suite: one
      tests:
        - { name: corridor-light, clip: \(RigCommand.repositoryRoot.path)/Fixtures/clips/corridor-light }
      """)
    let good = try rig.simulatedRig(name: "nightly")
    let first = try await rig.run(["run", suite.path, "--rig", good.path, "--reports", rig.reports.path, "--history", history])
    #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
    let firstRun = try rig.runFolder().lastPathComponent
    _ = try await rig.run(["history", "mark-good", firstRun, "--history", history])
    // The same rig, its firmware 20 % slower: a regressed build.
    let slower = try rig.simulatedRig(name: "nightly", extra: "  regression: { latency_scale: 1.2 }")
    let second = try await rig.run([
      "run", suite.path, "--rig", slower.path, "--reports", rig.reports.path, "--history", history, "--seed", "7",
    ])
    #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
    let html = try String(contentsOf: rig.runFolder().appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("<h3>Against the baseline</h3>"))
    #expect(html.contains("against run <bdi>\(firstRun)</bdi>"))
    #expect(html.contains("passed its limits, but worse than its baseline in"))
    #expect(html.contains("<th>last 2 runs</th>"))
    #expect(html.contains("<svg class=\"spark\""))
  }
}

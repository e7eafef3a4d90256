// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("The history page")
struct HistoryPageRendererTests {
  static func page(runs: Int = 50, tests: [String] = ["corridor-busy", "empty-room"]) -> HistoryPage {
    let ids = (0..<runs).map { String(format: "night-%03d", $0) }
    var series: [HistoryPage.Series] = []
    for test in tests {
      let slower = test == tests[0]
      series.append(HistoryPage.Series(
        suite: "nightly", rig: "bench-01", test: test, metric: .latencyP95, runs: ids,
        values: ids.indices.map { (slower && $0 >= 30 ? 33.0 : 30.0) + Double($0 % 3) * 0.1 },
        changes: slower ? [HistoryPage.Change(index: 30, before: 30.1, after: 33.1, confidence: 0.995)] : []))
      series.append(HistoryPage.Series(
        suite: "nightly", rig: "bench-01", test: test, metric: .countExactMatch, runs: ids,
        values: ids.map { _ in 0.95 },
        flips: slower ? [] : [HistoryPage.Flip(run: ids[12], reason: "failed where night-011 passed")]))
    }
    let recent = ids.reversed().prefix(10).enumerated().map { offset, id in
      HistoryPage.Run(
        runID: id, suite: "nightly", rig: "bench-01", startedAt: Date(timeIntervalSince1970: 1_800_000_000 - Double(offset) * 86_400),
        exitStatus: offset == 0 ? 1 : 0, tests: tests.count, failed: offset == 0 ? 1 : 0, errored: 0,
        firmware: "1.4.\(offset)", commit: "abcdef0123456789")
    }
    return HistoryPage(
      source: "/var/lib/rig/history.sqlite", runCount: runs, runs: Array(recent), series: series,
      reports: ["night-049": "../Reports/night-049/report.html", "night-030": "../Reports/night-030/report.html"])
  }

  private func parse(_ html: String) throws -> XMLTree {
    switch XMLTree.parse(html) {
    case .success(let root): return root
    case .failure(let failure): throw failure
    }
  }

  @Test("puts the change points first, each linked to its test and to the run where it began")
  func changesFirst() throws {
    let root = try parse(HistoryPageRenderer.render(Self.page()))
    let main = try #require(root.descendants("main").first)
    #expect(main.children.first?["id"] == "changes")
    let rows = main.children.first!.descendants("tr").dropFirst()
    #expect(rows.count == 1)
    let row = try #require(rows.first)
    #expect(row.allText.contains("corridor-busy") && row.allText.contains("latency.p95_ms"))
    #expect(row.allText.contains("+3 (+10.0 %)") && row.allText.contains("99.5 %"))
    let links = row.descendants("a").compactMap { $0["href"] }
    #expect(links == ["#t1-corridor-busy", "../Reports/night-030/report.html"])
  }

  @Test("lists flaky tests, the latest runs with links, and a section per test with its trends")
  func sections() throws {
    let html = HistoryPageRenderer.render(Self.page())
    let root = try parse(html)
    let flaky = try #require(root.descendants("section").first { $0["id"] == "flaky" })
    #expect(flaky.allText.contains("empty-room") && flaky.allText.contains("failed where night-011 passed"))
    let runs = try #require(root.descendants("section").first { $0["id"] == "runs" })
    #expect(runs.descendants("tbody").first?.children.count == 10)
    #expect(runs.descendants("a").first?["href"] == "../Reports/night-049/report.html")
    let tests = root.descendants("section").filter { $0["class"] == "test" }
    #expect(tests.map { $0["id"] } == ["t1-corridor-busy", "t2-empty-room"])
    #expect(tests[0].descendants("svg").filter { $0["class"] == "spark" }.count == 2)
    #expect(tests[0].descendants("svg").filter { $0["class"] == "chart" }.count == 1, "the series that changed")
    #expect(tests[1].descendants("svg").filter { $0["class"] == "chart" }.count == 1, "the series that flipped")
    #expect(html.contains("change: 30.1 \u{2192} 33.1 (+10.0 %)"))
    #expect(html.contains("<title>flaky in 1 runs</title>"))
    #expect(SVGCheck.problems(html) == [])
  }

  @Test("a quiet history says so; hostile names stay text")
  func quietAndHostile() throws {
    var page = Self.page(tests: ["<script>alert(1)</script>\u{202E}x"])
    page.series = page.series.map { var s = $0; s.changes = []; s.flips = []; return s }
    let html = HistoryPageRenderer.render(page)
    let root = try parse(html)
    #expect(root.allText.contains("No metric changed level in 2 series."))
    #expect(root.descendants("script").count == 1)
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;[U+202E]x"))
  }

  @Test("many nightlies stay small: a pixel column per bucket of runs")
  func large() {
    let page = Self.page(runs: 1_000, tests: (0..<20).map { "test-\($0)" })
    let html = HistoryPageRenderer.render(page)
    #expect(html.utf8.count < 600_000, "\(html.utf8.count) bytes")
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import Testing

/// `rig history html` over a history with a regression injected part-way.
@Suite("rig history html", .timeLimit(.minutes(2)))
struct HistoryHTMLCommandTests {
  /// Twelve nights of one test; from night 8 on the firmware is 10 % slower.
  private func nights(_ rig: RigCommand) throws -> [String] {
    let reports = rig.scratch.appendingPathComponent("Reports")
    var ids: [String] = []
    for night in 0..<12 {
      let id = String(format: "202612%02d-020000-nightly", night + 1)
      let p95 = (night >= 8 ? 33.0 : 30.0) + Double(night % 3) * 0.05
      let test = TestResult(
        name: "corridor-busy", classname: "nightly", verdict: .passed, duration: 1,
        metrics: [MetricValue(.countExactMatch, 0.9), MetricValue(.latencyP95, p95), MetricValue(.ramPeak, 185.6)])
      let run = RunResult(
        runID: id, suite: "nightly", rig: "bench-01",
        startedAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(night) * 86_400), duration: 60,
        properties: [.init("fw.version", night >= 8 ? "1.5.0" : "1.4.0")], tests: [test])
      let folder = reports.appendingPathComponent(id)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try ReportWriter.write(run, to: RunFolder(existing: folder), attachmentRoot: folder.path)
      ids.append(id)
    }
    return ids
  }

  @Test("shows where the latency changed, linked to that night's report")
  func changePoint() async throws {
    let rig = try RigCommand()
    let ids = try nights(rig)
    let database = rig.scratch.appendingPathComponent("history.sqlite").path
    let imported = try await rig.run(["history", "import", rig.reports.path, "--history", database])
    #expect(imported.status == 0, "\(imported.stdout)\n\(imported.stderr)")
    let out = rig.scratch.appendingPathComponent("page")
    let result = try await rig.run(["history", "html", "--history", database, "--out", out.path])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    #expect(result.stdout.contains("(12 runs, 3 metric series, 1 change, 0 flaky tests)"))
    let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    let changes = try #require(html.range(of: "<section id=\"changes\""))
    let firstTest = try #require(html.range(of: "<section class=\"test\""))
    #expect(changes.lowerBound < firstTest.lowerBound)
    let row = html[changes.lowerBound..<firstTest.lowerBound]
    #expect(row.contains("<code>latency.p95_ms</code>"))
    #expect(row.contains("href=\"../Reports/\(ids[8])/report.html\""), "the night the change began, linked")
    #expect(html.contains("change: 30.05 \u{2192} 33.075 (+10.1 %)"), "the medians before and after")
  }

  @Test("an empty or missing history is said plainly")
  func missing() async throws {
    let rig = try RigCommand()
    let result = try await rig.run([
      "history", "html", "--history", rig.scratch.appendingPathComponent("none.sqlite").path, "--out",
      rig.scratch.appendingPathComponent("page").path,
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains("none.sqlite"))
  }
}

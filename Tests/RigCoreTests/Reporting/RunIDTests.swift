// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("Run IDs")
struct RunIDTests {
  @Test("are the UTC start time and the suite name")
  func format() {
    #expect(RunID.make(date: ReportSamples.start, suite: "demo") == "20261125-204005-demo")
  }

  @Test(
    "reduce suite names to safe file names",
    arguments: [
      ("people-counting-nightly", "people-counting-nightly"),
      ("Nightly Suite #2", "nightly-suite-2"),
      ("../../etc/passwd", "etc-passwd"),
      ("--rm -rf", "rm-rf"),
      ("Zählung über Nacht", "z-hlung-ber-nacht"),
      ("", "run"),
      ("///", "run"),
      ("v1.2_rc", "v1.2_rc"),
      (String(repeating: "a", count: 60), String(repeating: "a", count: 40)),
    ])
  func slug(suite: String, expected: String) {
    #expect(RunID.slug(suite) == expected)
  }

  @Test("sort by start time")
  func sortable() {
    let ids = [3600.0, 0, 59, 86_400].map { RunID.make(date: ReportSamples.at($0), suite: "s") }
    let byTime = [0, 59, 3600.0, 86_400].map { RunID.make(date: ReportSamples.at($0), suite: "s") }
    #expect(ids.sorted() == byTime)
  }

  @Test("get a short random suffix when the folder is already taken")
  func unique() throws {
    let reports = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rig-runid-\(UUID().uuidString)")
    let base = RunID.make(date: ReportSamples.start, suite: "demo")
    try FileManager.default.createDirectory(
      at: reports.appendingPathComponent(base), withIntermediateDirectories: true)
    let id = RunID.make(date: ReportSamples.start, suite: "demo", avoiding: reports)
    #expect(id.hasPrefix(base + "-"))
    #expect(id.count == base.count + 5)
    #expect(!FileManager.default.fileExists(atPath: reports.appendingPathComponent(id).path))
    let fresh = RunID.make(date: ReportSamples.at(1), suite: "demo", avoiding: reports)
    #expect(fresh == "20261125-204006-demo")
  }
}

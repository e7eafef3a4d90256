// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSimulator
import RigTestSupport
import Testing

/// A test that ends early still accounts for every frame: sent frames without a result are
/// dropped or missing, each with its frames.csv row, and frames never sent are counted as such.
@Suite("runner: every frame accounted for when a test ends early", .timeLimit(.minutes(TestTime.minutes(1))))
struct RunnerAccountingTests {
  @Test("a hang at frame 40: the frames in flight are dropped or missing with rows, the rest not sent")
  func hang() async throws {
    let h = try RunnerHarness(
      suite: """
        suite: hangs
        tests:
          - { name: busy, clip: CLIPS/corridor-busy }
        """,
      simulated: "  faults: [ { kind: hang, test: busy, frame: 40 } ]")
    let result = await h.start().value
    let test = try #require(result.tests.first)
    #expect(test.errorType == "Hang", "\(test.message ?? "")")
    let a = test.frames
    #expect(a.matched == 40)
    #expect(a.sent > 40, "frames were in flight at the hang: \(a)")
    #expect(a.matched + a.missing == a.sent, "every frame sent is reported or missing: \(a)")
    #expect(a.dropped >= 1, "frame 40 was served and never reported: \(a)")
    #expect(a.notSent == 200 - a.sent)
    #expect(test.details?.contains("\(a.notSent) of the clip's 200 frames never sent") == true, "\(test.details ?? "")")

    let rows = try Self.rows(h.plan.reportDirectory.appendingPathComponent("artifacts/busy/frames.csv"))
    #expect(rows.map(\.frame) == Array(0..<a.sent), "one row per frame sent, in order")
    try #require(rows.count > 40)
    #expect(rows[40].finding == "dropped")
    #expect(rows.dropFirst(40).allSatisfy { $0.finding == "dropped" || $0.finding == "missing" })
    let lost = h.events.filter {
      if case .frameFinding(let f) = $0.event { [.dropped, .missing].contains(f.kind) } else { false }
    }
    #expect(lost.count == a.missing, "each lost frame is a finding in the events")
    await h.close()
  }

  /// `frame` and `finding` of each row of a frames.csv.
  static func rows(_ url: URL) throws -> [(frame: Int, finding: String)] {
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
    return lines.map { line in
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      return (Int(fields[0]) ?? -1, String(fields.last ?? ""))
    }
  }
}

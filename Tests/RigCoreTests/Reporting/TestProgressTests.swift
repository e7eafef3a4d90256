// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("The live progress line of a running test")
struct TestProgressTests {
  static func outcome(_ index: Int, label: Int, count: Int?, finding: FrameOutcome.Finding = .matched, status: String = "ok")
    -> FrameOutcome
  {
    let report = count.map {
      FrameReport(
        sequence: UInt32(index), frameCRC: 1, length: 9216, count: $0, inCount: 0, outCount: 0,
        cycles: StageCycles(capture: 0, preprocess: 0, invoke: 18_000_000, postprocess: 0), stackHighWater: 6144,
        heapHighWater: 0, status: status)
    }
    return FrameOutcome(
      index: index, label: FrameLabel(frame: index, count: label), report: report, sentCRC: 1, finding: finding,
      cpuHz: 600_000_000)
  }

  @Test("counts frames done, and exact counts among the scored ones")
  func counting() {
    var p = TestProgress(name: "corridor-busy", total: 200)
    p.add(Self.outcome(0, label: 2, count: 2))
    p.add(Self.outcome(1, label: 2, count: 3))
    p.add(Self.outcome(2, label: 2, count: nil, finding: .dropped))
    p.add(Self.outcome(3, label: 2, count: 2, status: "len_invalid"))
    p.add(Self.outcome(4, label: 1, count: 1, finding: .damaged))
    #expect(p.done == 5)
    #expect(p.scored == 2)
    #expect(p.exact == 1)
  }

  @Test("says frames done of total, frames/s, time left and accuracy")
  func line() {
    var p = TestProgress(name: "long", total: 20_000)
    for i in 0..<5_000 { p.add(Self.outcome(i, label: 1, count: i % 4 == 0 ? 2 : 1)) }
    #expect(p.line(elapsed: 166.0, fancy: false) == "  long: 5000/20000 frames, 30.1 frames/s, ETA 8:18, exact 75.0%")
    #expect(p.line(elapsed: 166.0, fancy: true) == "\u{25B6} long  5000/20000 frames \u{00B7} 30.1 frames/s \u{00B7} ETA 8:18 \u{00B7} exact 75.0%")
  }

  @Test("before the first frame, nothing is made up")
  func start() {
    let p = TestProgress(name: "t", attempt: 2, total: 60)
    #expect(p.line(elapsed: 0, fancy: false) == "  t (attempt 2): 0/60 frames, - frames/s, ETA -, exact -")
  }

  @Test("plain lines are ASCII apart from the name; fancy ones fit the terminal")
  func shapes() {
    var p = TestProgress(name: "corridor", total: 100)
    p.add(Self.outcome(0, label: 1, count: 1))
    let plain = p.line(elapsed: 0.5, fancy: false)
    #expect(plain.unicodeScalars.allSatisfy { $0.isASCII })
    let narrow = p.line(elapsed: 0.5, fancy: true, width: 30)
    #expect(narrow.count == 30)
    #expect(narrow.hasSuffix("\u{2026}"))
  }

  @Test("a name cannot move the cursor or break the line")
  func hostileName() {
    let p = TestProgress(name: "a\u{1B}[2Jb\rc\nd", total: 1)
    let line = p.line(elapsed: 0, fancy: true)
    #expect(!line.contains("\u{1B}") && !line.contains("\r") && !line.contains("\n"))
  }

  @Test("times and rates read well", arguments: [
    (7.2, "0:08"), (750, "12:30"), (3723, "1:02:03"), (0, "0:00"), (-1, "-"), (.infinity, "-"),
  ])
  func clock(seconds: Double, text: String) {
    #expect(TestProgress.clock(seconds) == text)
  }

  @Test("rates have sensible digits")
  func rates() {
    #expect(TestProgress.rate(0.4812) == "0.48")
    #expect(TestProgress.rate(30.06) == "30.1")
    #expect(TestProgress.rate(2840.4) == "2840")
  }
}

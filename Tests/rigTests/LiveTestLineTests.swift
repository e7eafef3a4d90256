// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Testing

@testable import rig

/// The live line `rig run` shows while a test plays, against a clock the test moves.
@Suite("The live line of a running test")
struct LiveTestLineTests {
  final class Screen: Sendable {
    let text = Locked("")
    let offset = Locked(Duration.zero)
    let base = ContinuousClock.now
    var now: ContinuousClock.Instant { base + offset.withLock { $0 } }
    func advance(_ d: Duration) { offset.withLock { $0 += d } }
    func write(_ s: String) { text.withLock { $0 += s } }
    var written: String { text.withLock { $0 } }
  }

  private func frame(_ i: Int) -> FrameOutcome {
    let report = FrameReport(
      sequence: UInt32(i), frameCRC: 1, length: 9216, count: i % 10 == 0 ? 3 : 2, inCount: 0, outCount: 0,
      cycles: StageCycles(capture: 0, preprocess: 0, invoke: 18_000_000, postprocess: 0), stackHighWater: 6144,
      heapHighWater: 0, status: "ok")
    return FrameOutcome(
      index: i, label: FrameLabel(frame: i, count: 2), report: report, sentCRC: 1, finding: .matched, cpuHz: 600_000_000)
  }

  @Test("without a terminal, a 20,000-frame test at 30 frames/s prints a plain line every 30 s")
  func plain() {
    let screen = Screen()
    let line = LiveTestLine(fancy: false, columns: { 80 }, now: { screen.now }, output: screen.write)
    line.plan([("long", 20_000)])
    line.started("long", attempt: 1)
    for i in 0..<20_000 {
      screen.advance(.milliseconds(33))
      line.frame("long", frame(i))
    }
    line.finished()
    let lines = screen.written.split(separator: "\n")
    #expect(lines.first == "> long: 20000 frames")
    // 660 s of test: a line about every 30 s (each 30 s after the one before, at a frame).
    #expect(lines.count == 1 + 21)
    #expect(lines[1] == "  long: 910/20000 frames, 30.3 frames/s, ETA 10:30, exact 90.0%")
    #expect(screen.written.unicodeScalars.allSatisfy { $0.isASCII })
  }

  @Test("on a terminal, one line redrawn at most ten times a second, cleared when the test ends")
  func fancy() {
    let screen = Screen()
    let line = LiveTestLine(fancy: true, columns: { 60 }, now: { screen.now }, output: screen.write)
    line.plan([("long", 1_000)])
    line.started("long", attempt: 1)
    for i in 0..<1_000 {
      screen.advance(.milliseconds(5))
      line.frame("long", frame(i))
    }
    line.beforeOtherOutput()
    line.beforeOtherOutput()
    line.finished()
    let text = screen.written
    #expect(!text.contains("\n"))
    let draws = text.components(separatedBy: "\r\u{25B6} ").count - 1
    #expect(draws == 1 + 50, "the first draw, then one per 100 ms of 5 s")
    #expect(text.hasSuffix("\u{1B}[K\r\u{1B}[K"), "cleared once, however often asked")
    for drawn in text.components(separatedBy: "\r").filter({ $0.hasPrefix("\u{25B6}") }) {
      #expect(drawn.replacingOccurrences(of: "\u{1B}[K", with: "").count <= 60)
    }
  }

  @Test("frames of a test that is not the running one are ignored")
  func otherTest() {
    let screen = Screen()
    let line = LiveTestLine(fancy: false, columns: { 80 }, now: { screen.now }, output: screen.write)
    line.frame("nothing-running", frame(0))
    #expect(screen.written.isEmpty)
  }
}

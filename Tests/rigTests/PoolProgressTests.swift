// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Testing

@testable import rig

/// The live output of a run on several rigs, against a clock the test moves.
@Suite("The live output of a pool")
struct PoolProgressTests {
  typealias Screen = LiveTestLineTests.Screen

  private func frame(_ i: Int) -> FrameOutcome {
    let report = FrameReport(
      sequence: UInt32(i), frameCRC: 1, length: 9216, count: 2, inCount: 0, outCount: 0,
      cycles: StageCycles(capture: 0, preprocess: 0, invoke: 18_000_000, postprocess: 0), stackHighWater: 6144,
      heapHighWater: 0, status: "ok")
    return FrameOutcome(
      index: i, label: FrameLabel(frame: i, count: 2), report: report, sentCRC: 1, finding: .matched, cpuHz: 600_000_000)
  }

  private func play(_ progress: PoolProgress, _ screen: Screen, rigs: [String], frames: Int, step: Duration) {
    progress.plan([("long-test-with-a-name", frames)])
    for rig in rigs { progress.event(rig: rig, TimedEvent(.testStarted(TestStart(name: "long-test-with-a-name", attempt: 1)))) }
    for i in 0..<frames {
      screen.advance(step)
      for rig in rigs { progress.frame(rig: rig, test: "long-test-with-a-name", frame(i)) }
    }
    progress.event(
      rig: rigs[0],
      TimedEvent(.testFinished(TestResult(name: "long-test-with-a-name", classname: "s", verdict: .passed, duration: 2))))
  }

  @Test("on a terminal: one status line per rig, redrawn in place, never wider than the terminal; verdicts above")
  func terminal() {
    let screen = Screen()
    let progress = PoolProgress(
      rigs: ["a", "bench-02"], verbose: false, live: true, columns: { 60 }, now: { screen.now }, output: screen.write)
    play(progress, screen, rigs: ["a", "bench-02"], frames: 300, step: .milliseconds(10))
    progress.end()
    let text = screen.written
    // Each redraw goes back to the first of the two status lines: to the line start, one line up.
    let redraws = text.components(separatedBy: "\r\u{1B}[1A\u{1B}[J")
    #expect(redraws.count > 20 && redraws.count < 40, "about one per 100 ms of 3 s: \(redraws.count)")
    let last = redraws.last ?? ""
    #expect(text.contains("[a] \u{1B}[32mPASSED\u{1B}[0m long-test-with-a-name in 2.000 s\n"))
    let block = last.split(separator: "\n").suffix(2).map(String.init)
    #expect(block.count == 2 && block[0].hasPrefix("  a         idle") && block[1].hasPrefix("  bench-02  \u{25B6} long-test"))
    for redraw in redraws {
      for line in redraw.split(separator: "\n") where line.hasPrefix("  ") {
        #expect(line.count <= 60, "\(line)")
      }
    }
    #expect(text.hasSuffix("\n"), "what follows the run starts on a line of its own")
  }

  @Test("elsewhere: plain ASCII lines, each with its rig, and a progress line per rig every 30 s")
  func plain() {
    let screen = Screen()
    let progress = PoolProgress(
      rigs: ["a", "b"], verbose: false, live: false, columns: { 80 }, now: { screen.now }, output: screen.write)
    play(progress, screen, rigs: ["a", "b"], frames: 2_000, step: .milliseconds(33))
    progress.rigState(RigRun(name: "b", file: "b.yaml", board: "evk", state: .removed, reason: "its power switch failed"))
    let lines = screen.written.split(separator: "\n").map(String.init)
    #expect(lines.allSatisfy { $0.hasPrefix("[a] ") || $0.hasPrefix("[b] ") }, "\(lines)")
    #expect(lines.first == "[a] > long-test-with-a-name: 2000 frames")
    // 66 s of frames: a line at 30 s and at 60 s for each rig.
    #expect(lines.filter { $0.hasPrefix("[b]   long-test-with-a-name: ") }.count == 2)
    #expect(lines.contains("[a] PASSED long-test-with-a-name in 2.000 s"))
    #expect(lines.last == "[b] removed: its power switch failed")
    #expect(screen.written.unicodeScalars.allSatisfy { $0.isASCII })
  }
}

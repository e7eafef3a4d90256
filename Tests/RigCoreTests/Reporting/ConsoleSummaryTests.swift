// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("Console summary")
struct ConsoleSummaryTests {
  let plain = ConsoleSummary.render(ReportSamples.run, color: false)

  @Test("ends with the totals line and the exit status")
  func totals() {
    let lines = plain.split(separator: "\n").map(String.init)
    #expect(lines.last == "2 passed (1 flaky), 1 failed, 1 errored, 1 skipped in 36.0 s - exit 2")
  }

  @Test("has one table row per test with its figures")
  func table() throws {
    let lines = plain.split(separator: "\n").map(String.init)
    #expect(
      lines[0].split(separator: " ", omittingEmptySubsequences: true) == [
        "test", "verdict", "frames", "exact", "MAE", "p95", "ms", "peak", "KiB", "time",
      ])
    let row = try #require(lines.first { $0.hasPrefix("corridor-day ") })
    #expect(
      row.split(separator: " ", omittingEmptySubsequences: true) == [
        "corridor-day", "passed", "120", "95.0%", "0.050", "31.25", "402.5", "4.2", "s",
      ])
    #expect(lines.contains { $0.hasPrefix("flaky-link ") && $0.contains(" flaky ") })
    #expect(lines.contains { $0.hasPrefix("lighting-change ") && $0.contains(" ERRORED ") })
    #expect(lines.contains { $0.hasPrefix("empty-room ") && $0.hasSuffix(" -") })
  }

  @Test("lists each violation, error, skip and flaky retry on its own line")
  func problems() {
    let lines = plain.split(separator: "\n").map(String.init)
    #expect(lines.contains("FAIL   corridor-busy: count.mae = 0.412 (limit <= 0.15)"))
    #expect(lines.contains("FAIL   corridor-busy: latency.p95_ms = 51.5 (limit <= 45)"))
    #expect(
      lines.contains(
        "ERROR  lighting-change: no frame result arrived within 5 s: the DUT stopped answering [Hang]"
      ))
    #expect(lines.contains("SKIP   empty-room: rig 'sim' has no result pin <needed by this test>"))
    #expect(
      lines.contains {
        $0.hasPrefix("FLAKY  flaky-link: passed on attempt 3; attempt 1 errored: serial port")
      })
  }

  @Test("without colour the output is ASCII with no escape codes; with colour it has them")
  func color() {
    #expect(plain.unicodeScalars.allSatisfy { $0.isASCII && ($0.value >= 0x20 || $0 == "\n") })
    let colored = ConsoleSummary.render(ReportSamples.run, color: true)
    #expect(colored.contains("\u{1B}[31mFAILED\u{1B}[0m"))
    #expect(colored.contains("\u{2014} exit 2"))
  }

  @Test("an interrupted run says so, and an all-passed run exits 0")
  func interruptedAndPassed() {
    var run = ReportSamples.run
    run.tests = [ReportSamples.passed]
    #expect(
      ConsoleSummary.render(run, color: false).hasSuffix(
        "1 passed, 0 failed, 0 errored, 0 skipped in 36.0 s - exit 0\n"))
    run.interruption = "SIGINT"
    let text = ConsoleSummary.render(run, color: false)
    #expect(text.contains("STOP   the run was interrupted: SIGINT"))
    #expect(text.hasSuffix("- exit 130\n"))
  }

  @Test("a passing test with dropped, damaged or otherwise lost frames names them in the summary")
  func passedWithFrameProblems() {
    var test = ReportSamples.passed
    test.frames.sent = 120
    test.frames.matched = 116
    test.frames.missing = 3
    test.frames.dropped = 2
    test.frames.damaged = 1
    test.frames.badChecksum = 4
    var run = ReportSamples.run
    run.tests = [test, ReportSamples.passed]
    let lines = ConsoleSummary.render(run, color: false).split(separator: "\n").map(String.init)
    #expect(
      lines.contains(
        "NOTE   \(test.name): passed with 2 frames dropped by the DUT, 1 missing, 1 damaged; "
          + "4 records failed their checksum (frames.csv has each)"),
      "\(lines)")
    #expect(lines.filter { $0.hasPrefix("NOTE") }.count == 1, "a clean pass says nothing")
  }

  @Test("numbers use a fixed number of decimals regardless of locale")
  func fixed() {
    #expect(ConsoleSummary.fixed(12.345, 1) == "12.3")
    #expect(ConsoleSummary.fixed(0.0449, 3) == "0.045")
    #expect(ConsoleSummary.fixed(-0.04, 1) == "0.0")
    #expect(ConsoleSummary.fixed(-1.25, 1) == "-1.3")
    #expect(ConsoleSummary.fixed(7, 0) == "7")
    #expect(ConsoleSummary.fixed(0.5, 2) == "0.50")
    #expect(ConsoleSummary.fixed(.nan, 2) == "nan")
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("Rebuilding a run from its events")
struct RunResultBuilderTests {
  @Test("a complete run rebuilds to the results its tests reported")
  func completeRun() throws {
    let run = try RunResultBuilder.build(ReportSamples.completeEvents)
    #expect(run.runID == "20261125-204005-demo")
    #expect(run.suite == "demo" && run.rig == "sim")
    #expect(run.startedAt == ReportSamples.start)
    #expect(abs(run.duration - 36) < 1e-6)
    #expect(run.interruption == nil)
    #expect(run.tests == ReportSamples.run.tests)
    #expect(ExitStatus(run: run) == .testErrored)
  }

  @Test("the board's boot identity becomes fw.* and dut.* properties")
  func bootIdentity() throws {
    let run = try RunResultBuilder.build(ReportSamples.completeEvents)
    let values = Dictionary(
      run.properties.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    #expect(values["fw.version"] == "1.4.2")
    #expect(values["fw.image_hash"] == "9f8e7d6c")
    #expect(values["fw.model_crc"] == "0badf00d")
    #expect(values["dut.cpu_hz"] == "600000000")
    #expect(values["rig.id"] == "sim")
    #expect(values["nonce"] == nil && values["fw.nonce"] == nil)
    #expect(run.properties.count == values.count)
  }

  @Test("killed mid-test: the running test and the tests after it are errored, the run unfinished")
  func killedMidTest() throws {
    // Events up to the start of lighting-change, then nothing: kill -9.
    var events = Array(ReportSamples.completeEvents.prefix(9))
    events.append(
      TimedEvent(
        at: ReportSamples.at(16),
        .frameFinding(FrameFinding(test: "lighting-change", frame: 3, kind: .missing, detail: "x")))
    )
    events.append(
      TimedEvent(
        at: ReportSamples.at(17),
        .frameFinding(FrameFinding(test: "lighting-change", frame: 4, kind: .reset, detail: "y"))))
    let run = try RunResultBuilder.build(events)

    #expect(run.interruption == "run did not finish")
    #expect(run.tests.map(\.name) == ReportSamples.planned.map(\.name))
    #expect(run.tests.map(\.verdict) == [.passed, .failed, .errored, .errored, .errored])
    let running = run.tests[2]
    #expect(running.errorType == "Interrupted")
    #expect(
      running.message
        == "the run ended before this test finished (started 2026-11-25T20:40:19.123Z)")
    #expect(running.startedAt == ReportSamples.at(14))
    #expect(abs(running.duration - 3) < 1e-6)
    #expect(running.details?.contains("frame findings before the end: 1 missing, 1 reset") == true)
    for notStarted in run.tests[3...] {
      #expect(notStarted.message == "not run: the run ended before this test started")
      #expect(notStarted.errorType == "Interrupted")
    }
    #expect(abs(run.duration - 17) < 1e-6)
    #expect(ExitStatus(run: run) == .testErrored)

    // The rebuilt run renders to valid-looking JUnit with every planned test.
    let xml = JUnitRenderer.render(run, attachmentRoot: "")
    #expect(xml.components(separatedBy: "<testcase ").count - 1 == 5)
    #expect(xml.contains("errors=\"3\""))
  }

  @Test("a log whose every test finished but without run_finished still exits 2")
  func missingRunFinished() throws {
    var events = ReportSamples.completeEvents
    events.removeLast()
    events = events.filter {
      if case .testFinished(let r) = $0.event {
        return r.verdict == .passed || r.verdict == .skipped
      }
      if case .testStarted(let s) = $0.event {
        return s.name == "corridor-day" || s.name == "flaky-link"
      }
      return true
    }
    let start = ReportSamples.runStart
    var onlyPassing = start
    onlyPassing.plannedTests = start.plannedTests.filter {
      ["corridor-day", "empty-room", "flaky-link"].contains($0.name)
    }
    events[0] = TimedEvent(at: events[0].at, .runStarted(onlyPassing))
    let run = try RunResultBuilder.build(events)
    #expect(run.tests.allSatisfy { $0.verdict == .passed || $0.verdict == .skipped })
    #expect(run.interruption == "run did not finish")
    #expect(ExitStatus(run: run) == .testErrored)
  }

  @Test("a retried test that passed keeps its earlier attempts and is flaky")
  func retriedTest() throws {
    let run = try RunResultBuilder.build(ReportSamples.completeEvents)
    let flaky = try #require(run.tests.first { $0.name == "flaky-link" })
    #expect(flaky.isFlaky)
    #expect(flaky.earlierAttempts.map(\.verdict) == [.errored, .failed])
  }

  @Test("killed during a retry: the earlier attempts are reconstructed from the log")
  func killedDuringRetry() throws {
    // Up to and including the start of flaky-link's second attempt.
    let events = Array(ReportSamples.completeEvents.prefix(14))
    let run = try RunResultBuilder.build(events)
    let test = try #require(run.tests.first { $0.name == "flaky-link" })
    #expect(test.verdict == .errored)
    #expect(test.message?.hasSuffix(", attempt 2)") == true)
    #expect(test.earlierAttempts.count == 1)
    #expect(
      test.earlierAttempts.first?.message.contains("attempt 1 errored, retrying: serial port")
        == true)
    #expect(abs((test.earlierAttempts.first?.duration ?? 0) - 2) < 1e-6)
    let root = try #require(try? XMLTree.parse(JUnitRenderer.render(run, attachmentRoot: "")).get())
    let testcase = root.first("testsuite")?.all("testcase").first { $0["name"] == "flaky-link" }
    #expect(testcase?.children.map(\.name) == ["error", "rerunError", "system-out"])
    #expect(testcase?.first("system-out")?.text == "[[PROPERTY|attempts=2]]\n")
  }

  @Test("a run ended by a signal keeps the signal as its interruption")
  func signalled() throws {
    var events = ReportSamples.completeEvents
    events[events.count - 1] = TimedEvent(
      at: ReportSamples.at(36), .runFinished(RunFinish(interruption: "SIGTERM", exitStatus: 143)))
    let run = try RunResultBuilder.build(events)
    #expect(run.interruption == "SIGTERM")
    #expect(ExitStatus(run: run) == .terminated)
  }

  @Test("a log without run_started, or with two runs, is refused with a clear message")
  func refusesBadLogs() throws {
    #expect { try RunResultBuilder.build([]) } throws: { "\($0)".contains("no run_started event") }
    let tail = Array(ReportSamples.completeEvents.dropFirst())
    #expect { try RunResultBuilder.build(tail) } throws: {
      "\($0)".contains("no run_started event")
    }
    let twice = ReportSamples.completeEvents + ReportSamples.completeEvents
    #expect { try RunResultBuilder.build(twice) } throws: { "\($0)".contains("holds 2 runs") }
  }

  @Test("the round trip through events.ndjson rebuilds the same run as the events in memory")
  func throughTheFile() throws {
    var data = Data()
    for event in ReportSamples.completeEvents { data += try EventLogWriter.line(for: event) }
    let contents = try EventLogReader.parse(data, file: "events.ndjson")
    #expect(
      try RunResultBuilder.build(contents.events)
        == RunResultBuilder.build(ReportSamples.completeEvents))
  }
}

@Suite("The interruption in every report")
struct RunInterruptionPropertyTests {
  @Test(
    "results.json carries run.interruption among its properties, as junit.xml does",
    arguments: [("SIGHUP", true), ("run did not finish", false)])
  func interruptionProperty(_ reason: String, _ finished: Bool) throws {
    var events = Array(ReportSamples.completeEvents.prefix(9))
    if finished {
      events.append(
        TimedEvent(at: ReportSamples.at(20), .runFinished(RunFinish(interruption: reason, exitStatus: 129))))
    }
    let run = try RunResultBuilder.build(events)
    let json = try JSONRenderer.parse(Data(JSONRenderer.render(run).utf8))
    #expect(json.properties.contains(RunResult.Property("run.interruption", reason)), "\(json.properties)")
    let junit = JUnitRenderer.render(run, attachmentRoot: "Reports/x")
    #expect(junit.contains(#"<property name="run.interruption" value="\#(reason)"/>"#))
    #expect(junit.components(separatedBy: "run.interruption").count == 2, "once in the JUnit")
  }
}

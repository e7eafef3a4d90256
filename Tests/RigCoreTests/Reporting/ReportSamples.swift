// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// Runs and event logs the reporting tests render: one test of every kind, with nasty text.
enum ReportSamples {
  /// 2026-11-25T20:40:05.123Z
  static let start = Date(timeIntervalSince1970: 1_795_639_205.123)

  static func at(_ seconds: Double) -> Date {
    // Whole milliseconds, so dates survive the millisecond precision of the reports exactly.
    Date(timeIntervalSince1970: (1_795_639_205_123 + (seconds * 1000).rounded()) / 1000)
  }

  static let planned = [
    PlannedTest(
      name: "corridor-day", classname: "demo", clip: "Fixtures/clips/corridor-light", frames: 120,
      tags: ["smoke"]),
    PlannedTest(
      name: "corridor-busy", classname: "demo", clip: "Fixtures/clips/corridor-busy", frames: 200,
      tags: []),
    PlannedTest(
      name: "lighting-change", classname: "demo", clip: "Fixtures/clips/lighting-change",
      frames: 90, tags: []),
    PlannedTest(
      name: "empty-room", classname: "demo", clip: "Fixtures/clips/empty-room", frames: 60, tags: []
    ),
    PlannedTest(
      name: "flaky-link", classname: "demo", clip: "Fixtures/clips/corridor-light", frames: 120,
      tags: []),
  ]

  static let runStart = RunStart(
    runID: "20261125-204005-demo", suite: "demo", suiteFile: "Fixtures/suites/demo.yaml",
    rig: "sim",
    rigFile: "Rigs/sim.yaml", startedAt: start, plannedTests: planned,
    properties: [
      .init("rig.id", "sim"), .init("rig.board", "mimxrt1060-evk"),
      .init("run.id", "20261125-204005-demo"),
      .init("suite.file", "Fixtures/suites/demo.yaml"), .init("tool.version", "rig 0.1.0"),
      .init("timestamp.tz", "UTC"),
    ])

  static func frames(sent: Int, matched: Int, missing: Int = 0) -> FrameAccounting {
    var f = FrameAccounting()
    f.sent = sent
    f.matched = matched
    f.missing = missing
    f.logLines = 3
    return f
  }

  static let passed = TestResult(
    name: "corridor-day", classname: "demo", verdict: .passed, startedAt: at(2), duration: 4.2,
    metrics: [
      MetricValue(.countExactMatch, 0.95), MetricValue(.countMAE, 0.05),
      MetricValue(.latencyP95, 31.25),
      MetricValue(.ramPeak, 402.5), MetricValue(.framesScored, 120),
    ],
    frames: frames(sent: 120, matched: 120),
    attachments: ["artifacts/corridor-day/frames.csv", "artifacts/corridor-day/console.log"],
    log: "boot ok\nframe 1 count=0")

  static let violations = [
    LimitViolation(limit: Limit(.countMAE, .atMost, 0.15), actual: 0.412),
    LimitViolation(limit: Limit(.latencyP95, .atMost, 45), actual: 51.5),
  ]

  static let failed = TestResult(
    name: "corridor-busy", classname: "demo", verdict: .failed,
    message: "2 limits violated: count.mae, latency.p95_ms", errorType: "LimitViolation",
    details: violations.map(\.description).joined(separator: "\n")
      + "\nframes: 200 sent, 198 reported",
    startedAt: at(7), duration: 6.5,
    metrics: [
      MetricValue(.countMAE, 0.412), MetricValue(.latencyP95, 51.5),
      MetricValue(.framesScored, 198),
    ],
    violations: violations, frames: frames(sent: 200, matched: 198, missing: 2),
    attachments: ["artifacts/corridor-busy/frames.csv", "artifacts/corridor-busy/console.log"],
    log:
      "\u{1B}[31mred alert\u{1B}[0m <&\"> NUL:\u{0} bell:\u{7} del:\u{7F} emoji: \u{1F6B6}\u{1F3FD} done"
  )

  /// A 2 MiB log: more than the 1 MiB a JUnit text node may hold.
  static let hugeLog: String = {
    let line = "frame 0042 count=3 in=1 out=0 latency=31.2ms \u{00B5}s \u{1F464}\n"
    var log = ""
    while log.utf8.count < 2 * 1024 * 1024 { log += line }
    return "HEAD-OF-LOG\n" + log + "TAIL-OF-LOG"
  }()

  static let errored = TestResult(
    name: "lighting-change", classname: "demo", verdict: .errored,
    message: "no frame result arrived within 5 s: the DUT stopped answering", errorType: "Hang",
    details: "watchdog fired at frame 17\nlast console line: \u{1B}[2Kpanic \u{0}\u{1}",
    startedAt: at(14), duration: 9.75, frames: frames(sent: 17, matched: 16, missing: 1),
    attachments: ["artifacts/lighting-change/frames.csv", "artifacts/lighting-change/console.log"],
    log: hugeLog)

  static let skipped = TestResult(
    name: "empty-room", classname: "demo", verdict: .skipped,
    message: "rig 'sim' has no result pin <needed by this test>")

  static let flaky = TestResult(
    name: "flaky-link", classname: "demo", verdict: .passed, startedAt: at(30), duration: 3.1,
    metrics: [MetricValue(.countExactMatch, 1), MetricValue(.framesScored, 120)],
    frames: frames(sent: 120, matched: 120),
    earlierAttempts: [
      AttemptSummary(
        verdict: .errored, message: "serial port /dev/ttyACM0 vanished", errorType: "RigError",
        duration: 1.5),
      AttemptSummary(
        verdict: .failed, message: "count.mae = 0.3 (limit <= 0.15)", errorType: "LimitViolation",
        duration: 2.25),
    ],
    attachments: ["artifacts/flaky-link/console.log"], log: "attempt 3 ok")

  static let run = RunResult(
    runID: "20261125-204005-demo", suite: "demo", rig: "sim", startedAt: start, duration: 36.0004,
    properties: runStart.properties + [.init("fw.version", "1.4.2 \"beta\" <rc1>")],
    tests: [passed, failed, errored, skipped, flaky])

  /// The events a complete run of `run` emits, in order.
  static var completeEvents: [TimedEvent] {
    [
      TimedEvent(at: at(0), .runStarted(runStart)),
      TimedEvent(at: at(0.5), .boardState(BoardStateChange(state: "off", detail: "power off"))),
      TimedEvent(
        at: at(1.5),
        .boardState(
          BoardStateChange(
            state: "booted",
            detail: "fw=1.4.2 img=9f8e7d6c model=0badf00d cpu=600000000 reset=por nonce=12345678"))),
      TimedEvent(at: at(2), .testStarted(TestStart(name: "corridor-day", attempt: 1))),
      TimedEvent(at: at(6.2), .testFinished(passed)),
      TimedEvent(at: at(7), .testStarted(TestStart(name: "corridor-busy", attempt: 1))),
      TimedEvent(
        at: at(9),
        .frameFinding(
          FrameFinding(test: "corridor-busy", frame: 12, kind: .missing, detail: "no result"))),
      TimedEvent(at: at(13.5), .testFinished(failed)),
      TimedEvent(at: at(14), .testStarted(TestStart(name: "lighting-change", attempt: 1))),
      TimedEvent(at: at(23.75), .testFinished(errored)),
      TimedEvent(at: at(24), .testFinished(skipped)),
      TimedEvent(at: at(25), .testStarted(TestStart(name: "flaky-link", attempt: 1))),
      TimedEvent(
        at: at(26.5),
        .note(
          Note(
            level: .warning,
            message: "attempt 1 errored, retrying: serial port /dev/ttyACM0 vanished",
            test: "flaky-link"))),
      TimedEvent(at: at(27), .testStarted(TestStart(name: "flaky-link", attempt: 2))),
      TimedEvent(
        at: at(29.25),
        .note(Note(level: .warning, message: "attempt 2 failed, retrying", test: "flaky-link"))),
      TimedEvent(at: at(30), .testStarted(TestStart(name: "flaky-link", attempt: 3))),
      TimedEvent(at: at(33.1), .testFinished(flaky)),
      TimedEvent(at: at(36), .runFinished(RunFinish(interruption: nil, exitStatus: 2))),
    ]
  }
}

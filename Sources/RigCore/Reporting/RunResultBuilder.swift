// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Folds a run's events into its result: what `rig report` renders, also for a run that crashed.
///
/// Every planned test appears in the result. A test that started but has no `test_finished`
/// (rig was killed mid-test) and a test that never started are `errored` with type
/// `Interrupted`; a log without `run_finished` marks the run as interrupted
/// ("run did not finish").
public enum RunResultBuilder {
  /// The interruption recorded for a log that stops before `run_finished`.
  public static let unfinishedRun = "run did not finish"

  /// Builds the run described by `events` (as read from one `events.ndjson`).
  public static func build(_ events: [TimedEvent]) throws -> RunResult {
    let (start, firstAt) = try runStart(events)

    var finished: [String: TestResult] = [:]
    var finishOrder: [String] = []
    var attempts: [String: [TimedEvent]] = [:]
    var notes: [String: [String]] = [:]
    var findings: [String: [FrameFinding]] = [:]
    var finish: (at: Date, value: RunFinish)?
    var rigs = RigStates()
    for timed in events {
      switch timed.event {
      case .testStarted(let s): attempts[s.name, default: []].append(timed)
      case .testFinished(let result):
        if finished[result.name] == nil { finishOrder.append(result.name) }
        finished[result.name] = result
      case .note(let note):
        if let test = note.test {
          notes[test, default: []].append("\(note.level.rawValue): \(note.message)")
        }
      case .frameFinding(let finding): findings[finding.test, default: []].append(finding)
      case .runFinished(let value): finish = (timed.at, value)
      case .rigState(let rig): rigs.record(rig)
      case .runStarted, .boardState, .flash: break
      }
    }
    let lastAt = events.map(\.at).max() ?? firstAt
    let endedAt = finish?.at ?? lastAt

    var tests: [TestResult] = []
    var seen = Set<String>()
    for planned in start.plannedTests where !seen.contains(planned.name) {
      seen.insert(planned.name)
      if let result = finished[planned.name] {
        tests.append(result)
      } else if let started = attempts[planned.name], let last = started.last {
        tests.append(
          unfinished(
            planned, attempts: started, lastStart: last, endedAt: endedAt,
            notes: notes[planned.name] ?? [], findings: findings[planned.name] ?? []))
      } else {
        tests.append(
          TestResult(
            name: planned.name, classname: planned.classname, verdict: .errored,
            message: "not run: the run ended before this test started", errorType: "Interrupted",
            rig: planned.rig))
      }
    }
    // A result for a test the plan did not list still belongs in the report.
    for name in finishOrder where !seen.contains(name) {
      if let result = finished[name] { tests.append(result) }
    }
    // What each test was fed and judged by, whatever became of it.
    let plan = Dictionary(start.plannedTests.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    for index in tests.indices {
      guard let planned = plan[tests[index].name] else { continue }
      tests[index].clipHash = tests[index].clipHash ?? planned.clipHash
      tests[index].limits = tests[index].limits ?? planned.limits
      tests[index].relativeLimits = tests[index].relativeLimits ?? planned.relativeLimits
    }

    let startedAt = start.startedAt
    let interruption: String? = if let finish { finish.value.interruption } else { unfinishedRun }
    var properties = properties(from: events)
    // In the properties too, so results.json lists what junit.xml does.
    if let interruption { properties.append(.init("run.interruption", interruption)) }
    return RunResult(
      runID: start.runID, suite: start.suite, rig: start.rig, startedAt: startedAt,
      duration: max(0, endedAt.timeIntervalSince(min(startedAt, firstAt))),
      properties: properties, tests: tests,
      interruption: interruption, startFailure: finish?.value.startFailure,
      rigs: rigs.list)
  }

  /// The last state of each rig of a run on several rigs, in the order they first appeared.
  private struct RigStates {
    var order: [String] = []
    var latest: [String: RigRun] = [:]

    mutating func record(_ rig: RigRun) {
      if latest[rig.name] == nil { order.append(rig.name) }
      latest[rig.name] = rig
    }

    /// nil when the log has no rig states (a run on one rig). A rig last seen starting or
    /// running (the log stops before `run_finished`) stays so in the report.
    var list: [RigRun]? {
      order.isEmpty ? nil : order.compactMap { latest[$0] }
    }
  }

  /// The one `run_started` of `events`, and when the log begins.
  private static func runStart(_ events: [TimedEvent]) throws -> (RunStart, Date) {
    let starts = events.compactMap { timed -> RunStart? in
      if case .runStarted(let start) = timed.event { return start }
      return nil
    }
    guard let start = starts.first, let firstAt = events.first?.at else {
      throw RigError(
        .configInvalid,
        "the event log has no run_started event: it is empty, not a rig event log, or was cut "
          + "before the run began (nothing to report)")
    }
    guard starts.count == 1 else {
      throw RigError(
        .configInvalid,
        "the event log holds \(starts.count) runs "
          + "(\(starts.map(\.runID).joined(separator: ", "))); "
          + "a report covers one run: split the file at each run_started line")
    }
    return (start, firstAt)
  }

  /// Run-level properties: those of `run_started`, plus the identity the board reported at its
  /// last boot (`fw.version`, `fw.image_hash`, `fw.model_crc`, `dut.cpu_hz`), what the flash step
  /// did, and, for a suite that names an image, whether the image the board ran is that image
  /// (`fw.is_suite_image`).
  public static func properties(from events: [TimedEvent]) -> [RunResult.Property] {
    var properties: [RunResult.Property] = []
    var identity: [RunResult.Property] = []
    var flash: [RunResult.Property] = []
    for timed in events {
      switch timed.event {
      case .runStarted(let start): properties = start.properties
      case .flash(let report): flash = flashProperties(report)
      case .boardState(let change) where change.state == "booted":
        identity = bootIdentity(change.detail)
      default: break
      }
    }
    var verdict: [RunResult.Property] = []
    if let expected = flash.first(where: { $0.name == "flash.image_hash" })?.value,
      let ran = identity.first(where: { $0.name == "fw.image_hash" })?.value
    {
      verdict.append(.init("fw.is_suite_image", ImageHash.matches(reported: ran, expected: expected) ? "true" : "false"))
    }
    for property in identity + flash + verdict {
      if let index = properties.firstIndex(where: { $0.name == property.name }) {
        properties[index].value = property.value
      } else {
        properties.append(property)
      }
    }
    return properties
  }

  /// What the flash step did: `flash.skipped`, `flash.method`, `flash.image_hash`, and for a real
  /// flash its size, duration and throughput.
  static func flashProperties(_ report: FlashReport) -> [RunResult.Property] {
    var result: [RunResult.Property] = [
      .init("flash.skipped", report.skipped ? "true" : "false"), .init("flash.method", report.method),
    ]
    if let hash = report.imageHash { result.append(.init("flash.image_hash", hash)) }
    if !report.skipped {
      result.append(.init("flash.bytes", String(report.bytes)))
      result.append(.init("flash.seconds", MetricFormat.format3(report.seconds)))
      result.append(.init("flash.bytes_per_s", String(Int(report.bytesPerSecond.rounded()))))
      if let link = report.linkBytesPerSecond {
        result.append(.init("flash.link_bytes_per_s", String(Int(link.rounded()))))
      }
    }
    return result
  }

  /// The `key=value` words of a `booted` detail that identify the firmware and the board; the
  /// others (nonce, reset cause) change from boot to boot and say nothing about the build.
  static func bootIdentity(_ detail: String) -> [RunResult.Property] {
    let names = [
      "fw": "fw.version", "img": "fw.image_hash", "model": "fw.model_crc", "cpu": "dut.cpu_hz",
    ]
    var result: [RunResult.Property] = []
    for word in detail.split(separator: " ") {
      guard let equals = word.firstIndex(of: "=") else { continue }
      let key = String(word[..<equals])
      let value = String(word[word.index(after: equals)...])
      if let name = names[key], !value.isEmpty, !result.contains(where: { $0.name == name }) {
        result.append(.init(name, value))
      }
    }
    return result
  }

  /// A test whose last attempt never reported: what the log still tells about it.
  private static func unfinished(
    _ planned: PlannedTest, attempts: [TimedEvent], lastStart: TimedEvent, endedAt: Date,
    notes: [String], findings: [FrameFinding]
  ) -> TestResult {
    var attemptNumber = attempts.count
    if case .testStarted(let s) = lastStart.event { attemptNumber = s.attempt }
    var earlier: [AttemptSummary] = []
    for (index, timed) in attempts.dropLast().enumerated() {
      let next = attempts[index + 1].at
      let number = index + 1
      // The runner notes why an attempt is retried; use its words when the note survived.
      let reason =
        notes.first { $0.contains("attempt \(number) ") }
        ?? "attempt \(number) did not pass and was retried"
      earlier.append(
        AttemptSummary(
          verdict: .errored, message: reason, errorType: "RigError",
          duration: max(0, next.timeIntervalSince(timed.at))))
    }
    var details = ["the last event in the log is from \(UTCTimestamp.iso8601(endedAt))"]
    if !findings.isEmpty {
      var counts: [String: Int] = [:]
      for finding in findings { counts[finding.kind.rawValue, default: 0] += 1 }
      let summary = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
      details.append("frame findings before the end: " + summary.joined(separator: ", "))
    }
    details += notes
    let attemptText = attemptNumber > 1 ? ", attempt \(attemptNumber)" : ""
    return TestResult(
      name: planned.name, classname: planned.classname, verdict: .errored,
      message:
        "the run ended before this test finished (started \(UTCTimestamp.iso8601(lastStart.at))"
        + "\(attemptText))",
      errorType: "Interrupted", details: details.joined(separator: "\n"), startedAt: lastStart.at,
      duration: max(0, endedAt.timeIntervalSince(lastStart.at)), earlierAttempts: earlier)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigSystem
import Testing

@testable import RigCore

@Suite("events.ndjson writer and reader")
struct EventLogTests {
  private func scratchURL() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rig-events-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("events.ndjson")
  }

  private func writeAll(_ events: [TimedEvent], to url: URL) throws {
    let writer = try EventLogWriter(sink: RunFolder(existing: url.deletingLastPathComponent()))
    for event in events { try writer.append(event) }
    writer.close()
  }

  @Test("every event survives a write and read back unchanged")
  func roundTrip() throws {
    let url = try scratchURL()
    var events = ReportSamples.completeEvents
    var withNaN = ReportSamples.passed
    withNaN.name = "nan-metric"
    withNaN.metrics = [MetricValue(.countMAE, .nan), MetricValue(.latencyMax, .infinity)]
    events.insert(
      TimedEvent(at: ReportSamples.at(34), .testFinished(withNaN)), at: events.count - 1)
    events.insert(
      TimedEvent(
        at: ReportSamples.at(35), .note(Note(level: .info, message: "line1\nline2 \u{1B}[0m \"q\""))
      ), at: 1)
    try writeAll(events, to: url)

    let contents = try EventLogReader.read(url)
    #expect(contents.warnings.isEmpty)
    #expect(contents.events.count == events.count)
    // NaN never equals itself, so compare that event by its fields.
    for (read, written) in zip(contents.events, events) {
      if case .testFinished(let r) = read.event, r.name == "nan-metric" {
        #expect(r.metrics.first?.value.isNaN == true)
        #expect(r.metrics.last?.value == .infinity)
        continue
      }
      #expect(read == written)
    }
  }

  @Test("each line starts with at and event, in snake_case, with millisecond UTC dates")
  func lineShape() throws {
    let url = try scratchURL()
    // The sample run has no flash step and is on one rig; a flash and a pool rig's state are
    // appended so every event kind is written.
    let flash = TimedEvent(
      at: ReportSamples.at(40),
      .flash(FlashReport(bytes: 32768, seconds: 1.25, skipped: false, method: "native SDP + MBoot on /dev/ttyACM0")))
    let rigState = TimedEvent(
      at: ReportSamples.at(41),
      .rigState(RigRun(name: "bench-02", file: "Rigs/bench-02.yaml", board: "mimxrt1060-evk", state: .removed, reason: "its power switch failed")))
    try writeAll(ReportSamples.completeEvents + [flash, rigState], to: url)
    let text = try String(contentsOf: url, encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(text.hasSuffix("\n"))
    #expect(lines.count == ReportSamples.completeEvents.count + 2)
    #expect(lines[0].hasPrefix("{\"at\":\"2026-11-25T20:40:05.123Z\",\"event\":\"run_started\","))
    #expect(
      lines[3]
        == "{\"at\":\"2026-11-25T20:40:07.123Z\",\"event\":\"test_started\",\"attempt\":1,\"name\":\"corridor-day\"}"
    )
    let names = lines.compactMap { line -> String? in
      guard let range = line.range(of: "\"event\":\"") else { return nil }
      return String(line[range.upperBound...].prefix { $0 != "\"" })
    }
    #expect(Set(names) == Set(RunEvent.names))
    for line in lines {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      #expect(object?["at"] is String && object?["event"] is String)
    }
  }

  @Test("a writer appends after an existing log instead of truncating it")
  func appends() throws {
    let url = try scratchURL()
    let events = ReportSamples.completeEvents
    try writeAll(Array(events.prefix(3)), to: url)
    try writeAll(Array(events.dropFirst(3)), to: url)
    #expect(try EventLogReader.read(url).events == events)
  }

  @Test("appends from many tasks at once never interleave lines")
  func concurrentAppends() async throws {
    let url = try scratchURL()
    let writer = try EventLogWriter(sink: RunFolder(existing: url.deletingLastPathComponent()))
    try writer.append(ReportSamples.completeEvents[0])
    await withTaskGroup(of: Void.self) { group in
      for task in 0..<8 {
        group.addTask {
          for i in 0..<50 {
            let note = Note(
              level: .info, message: String(repeating: "x", count: 500) + " \(task)-\(i)")
            try? writer.append(TimedEvent(at: ReportSamples.at(Double(i)), .note(note)))
          }
        }
      }
    }
    writer.close()
    let contents = try EventLogReader.read(url)
    #expect(contents.warnings.isEmpty)
    #expect(contents.events.count == 401)
  }

  @Test("appending after close throws an error naming the log")
  func appendAfterClose() throws {
    let url = try scratchURL()
    let writer = try EventLogWriter(sink: RunFolder(existing: url.deletingLastPathComponent()))
    writer.close()
    writer.close()
    #expect {
      try writer.append(ReportSamples.completeEvents[0])
    } throws: { error in
      "\(error)".contains("events.ndjson") && "\(error)".contains("closed")
    }
  }

  @Test("a log cut in the middle of its last line is read with a warning")
  func truncatedLastLine() throws {
    let url = try scratchURL()
    try writeAll(ReportSamples.completeEvents, to: url)
    var data = try Data(contentsOf: url)
    // What kill -9 during a write leaves: the start of the next line, without its end.
    let next = try EventLogWriter.line(
      for: TimedEvent(at: ReportSamples.at(40), .testFinished(ReportSamples.passed)))
    data.append(next.prefix(next.count / 2))
    try data.write(to: url)

    let contents = try EventLogReader.read(url)
    #expect(contents.events == ReportSamples.completeEvents)
    #expect(contents.warnings.count == 1)
    let warning = try #require(contents.warnings.first)
    #expect(
      warning.contains(":\(ReportSamples.completeEvents.count + 1): the last line is damaged"))
    #expect(warning.contains("does not end with a newline"))
  }

  @Test("garbage before the last line is rejected, naming every bad line")
  func garbageInTheMiddle() throws {
    let lines = try ReportSamples.completeEvents.map {
      String(decoding: try EventLogWriter.line(for: $0), as: UTF8.self)
    }
    var damaged = lines
    damaged[2] = "{\"at\":\"2026-11-25T20:40:06.623Z\",\"event\":\"board_sta\n"
    damaged[5] = "\u{0}\u{0}\u{0}garbage\n"
    damaged[7] = "{\"at\":\"2026-11-25T20:40:06.623Z\",\"event\":\"test_started\",\"name\":\"x\"}\n"
    #expect {
      try EventLogReader.parse(Data(damaged.joined().utf8), file: "Reports/r/events.ndjson")
    } throws: { error in
      let text = "\(error)"
      return text.contains("Reports/r/events.ndjson:3: not valid JSON")
        && text.contains("Reports/r/events.ndjson:6: not valid JSON")
        && text.contains("Reports/r/events.ndjson:8: missing field 'attempt'")
        && !text.contains("events.ndjson:1:")
    }
  }

  @Test("unknown event kinds are skipped with a warning; blank lines are ignored")
  func unknownEvents() throws {
    let lines = try ReportSamples.completeEvents.map {
      String(decoding: try EventLogWriter.line(for: $0), as: UTF8.self)
    }
    var text =
      lines[0] + "\n"
      + "{\"at\":\"2026-11-25T20:40:06.000Z\",\"event\":\"thermal_reading\",\"celsius\":41}\n"
    text += lines.dropFirst().joined()
    let contents = try EventLogReader.parse(Data(text.utf8), file: "events.ndjson")
    #expect(contents.events == ReportSamples.completeEvents)
    #expect(
      contents.warnings == [
        "events.ndjson:3: unknown event 'thermal_reading' ignored (written by a newer rig?)"
      ])
  }

  @Test("a missing log gives an error naming it")
  func missingFile() throws {
    let url = try scratchURL()
    #expect {
      try EventLogReader.read(url)
    } throws: { error in
      "\(error)".contains("cannot read the event log") && "\(error)".contains("events.ndjson")
    }
  }
}

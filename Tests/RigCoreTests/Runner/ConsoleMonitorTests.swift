// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

@testable import RigCore

/// The runner's reading of the DUT's console: items in order, the console log, the recent lines.
@Suite("Console monitor")
struct ConsoleMonitorTests {
  let bench = ScriptedBench()
  let console: ConsoleMonitor

  init() {
    console = ConsoleMonitor(link: bench.bench.console, clock: bench.clock.host)
  }

  func line(_ record: TelemetryRecord, nonce: UInt32 = 7) -> String {
    String(decoding: TelemetryEncoder.encode(TelemetryMessage(nonce: nonce, record: record)), as: UTF8.self)
  }

  var deadline: HostClock.Instant { bench.clock.now + .seconds(1) }

  @Test func recordsLogLinesAndDamagedRecordsComeInTheOrderPrinted() async throws {
    bench.print("app: camera ready\r\n")
    bench.print(line(.ack(command: "start")), after: .milliseconds(5))
    bench.print("~T1 ack 00000007 cmd=start *DEADBEEF\r\n", after: .milliseconds(10))
    guard case .log(let text, _) = try await console.next(until: deadline) else { Issue.record("no log line"); return }
    #expect(text == "app: camera ready")
    guard case .record(let message, let arrival) = try await console.next(until: deadline) else {
      Issue.record("no record")
      return
    }
    #expect(message == TelemetryMessage(nonce: 7, record: .ack(command: "start")))
    #expect(arrival - bench.clock.origin == .milliseconds(5))
    guard case .damaged = try await console.next(until: deadline) else { Issue.record("no damaged record"); return }
    // Records are not quoted in messages; the rest is.
    #expect(console.recentLines.count == 2)
    #expect(console.recentLines[0] == "app: camera ready")
    #expect(console.recentLines[1].contains("[damaged record:"))
  }

  @Test func aLineSplitAcrossChunksIsOneItemStampedWhenItEnded() async throws {
    bench.print("boot stage ")
    bench.print("two\r\n", after: .milliseconds(30))
    guard case .log(let text, let arrival) = try await console.next(until: deadline) else {
      Issue.record("no log line")
      return
    }
    #expect(text == "boot stage two")
    #expect(arrival - bench.clock.origin == .milliseconds(30))
  }

  @Test func silenceEndsAtTheDeadlineExactly() async throws {
    let until = bench.clock.now + .seconds(5)
    #expect(try await console.next(until: until) == nil)
    #expect(bench.clock.now == until)
  }

  @Test func theLogGetsTheRawBytesAndTheRecentLinesStartAfreshWithIt() async throws {
    let artifacts = MemoryArtifactSink()
    bench.print("noise of the test before\r\n")
    _ = try await console.next(until: deadline)
    console.startLog(try artifacts.openLog("console.log", truncate: true))
    #expect(console.recentLines.isEmpty)
    let ack = line(.ack(command: "stop"))
    bench.print("stopping\r\n" + ack)
    _ = try await console.next(until: deadline)
    _ = try await console.next(until: deadline)
    console.stopLog()
    bench.print("after the log\r\n")
    _ = try await console.next(until: deadline)
    #expect(artifacts.text("console.log") == "stopping\r\n" + ack)
    #expect(console.recentLines == ["stopping", "after the log"])
  }

  @Test func onlyTheLastTwelveLinesAreKept() async throws {
    for i in 0..<20 { bench.print("line \(i)\r\n") }
    for _ in 0..<20 { _ = try await console.next(until: deadline) }
    #expect(console.recentLines == (8..<20).map { "line \($0)" })
  }

  @Test func discardingForgetsWhatWasReceivedAndNotRead() async throws {
    bench.print("one\r\ntwo\r\n")
    guard case .log("one", _) = try await console.next(until: deadline) else { Issue.record("no line"); return }
    console.discardPending()
    bench.print("three\r\n", after: .milliseconds(1))
    guard case .log("three", _) = try await console.next(until: deadline) else { Issue.record("not discarded"); return }
  }

  @Test func commandsGoOutAsTelemetryLines() async throws {
    try await console.send(.stats(nonce: 0x1234), within: .seconds(1))
    #expect(bench.commands == ["stats"])
  }

  @Test func aCancelledReadThrowsInsteadOfReportingSilence() async throws {
    let bench = ScriptedBench()
    let thrown = await Task { () -> (any Error)? in
      let console = ConsoleMonitor(link: bench.bench.console, clock: bench.clock.host)
      withUnsafeCurrentTask { $0?.cancel() }
      do {
        _ = try await console.next(until: bench.clock.now + .seconds(1))
        return nil
      } catch {
        return error
      }
    }.value
    #expect(thrown is CancellationError)
    #expect(bench.clock.elapsed == .zero)
  }
}

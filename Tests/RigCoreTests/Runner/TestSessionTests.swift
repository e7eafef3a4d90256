// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

@testable import RigCore

/// One attempt of one test, driven directly on a scripted bench.
@Suite("Test session")
struct TestSessionTests {
  let bench: ScriptedBench
  let artifacts: MemoryArtifactSink
  let strategy: BoardStrategy
  let console: ConsoleMonitor
  let events = Locked<[RunEvent]>([])

  init(_ script: DUTScript = SuiteRunnerTests.counting, artifacts: MemoryArtifactSink = MemoryArtifactSink()) {
    bench = ScriptedBench(script: script)
    self.artifacts = artifacts
    console = ConsoleMonitor(link: bench.bench.console, clock: bench.clock.host)
    strategy = BoardStrategy(bench: bench.bench, console: console) { _ in }
  }

  func attempt(_ test: TestCase) async -> AttemptResult {
    let events = events
    let session = TestSession(
      test: test,
      context: .init(
        bench: bench.bench, console: console, strategy: strategy,
        artifacts: ArtifactFolder(sink: artifacts, path: "artifacts/\(test.name)"),
        record: { event in events.withLock { $0.append(event) } }, observeFrame: nil))
    return await session.run()
  }

  @Test func anAttemptOnABootedBoardStreamsTheClipWithoutAPowerCycle() async throws {
    try await strategy.boot()
    let result = await attempt(try ScriptedRun.test())
    #expect(result.error == nil)
    #expect(result.accounting.matched == 6 && result.accounting.served == 6)
    #expect(bench.boots == 1)
    // Six frames 40 ms apart, and the commands around them: the attempt's time is the clip's.
    #expect(result.duration >= 0.24 && result.duration < 0.5)
    // The emulator is never asked to hold more than it can.
    let queuedAhead = bench.observations.reduce(into: (queued: 0, captured: 0, most: 0)) { acc, o in
      if case .queued = o { acc.queued += 1 }
      if case .captured = o { acc.captured += 1 }
      acc.most = max(acc.most, acc.queued - acc.captured)
    }
    #expect(queuedAhead.most <= 4)
  }

  @Test func aFaultRecordEndsTheAttemptAndTheBoardIsBootedAfresh() async throws {
    let session = TestSessionTests(SuiteRunnerTests.counting.always(frame: 2, .fault(kind: "hardfault", detail: "pc=0x60001234")))
    let result = await session.attempt(try ScriptedRun.test())
    #expect(result.error?.code == .hardwareFault)
    #expect(result.error?.message == "the DUT reported a fault: hardfault pc=0x60001234")
    #expect(session.strategy.state == .unknown)
    #expect(result.accounting.matched == 2)
  }

  @Test func framesTheDUTReportsWithAnErrorStatusAreCountedNotScored() async throws {
    let session = TestSessionTests(
      SuiteRunnerTests.counting.always(frame: 1, .answer(count: 1, status: "invoke_fail")))
    let result = await session.attempt(try ScriptedRun.test())
    #expect(result.error == nil)
    #expect(result.accounting.deviceErrors == 1 && result.deviceStatuses == ["invoke_fail": 1])
    #expect(result.metrics.first { $0.metric == .framesScored }?.value == 5)
  }

  @Test func aFramesCSVThatCannotBeWrittenInFullIsSaid() async throws {
    let session = TestSessionTests(
      SuiteRunnerTests.counting, artifacts: MemoryArtifactSink(failing: ["artifacts/walk/frames.csv": 300]))
    let result = await session.attempt(try ScriptedRun.test())
    #expect(result.error == nil)
    #expect(result.warnings.contains { $0.hasPrefix("frames.csv is incomplete:") })
  }

  @Test func theTestsTimeoutCountsFromTheBoot() async throws {
    // The boot takes 250 ms of the bench's time, the clip 240 ms: a 300 ms timeout is enough.
    let result = await attempt(try ScriptedRun.test(timeout: .milliseconds(300)))
    #expect(result.error == nil)
    #expect(bench.clock.elapsed > .milliseconds(450))
  }
}

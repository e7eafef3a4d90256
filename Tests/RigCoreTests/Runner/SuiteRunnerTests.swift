// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

@testable import RigCore

/// The runner's product on a scripted bench, on virtual time: every test here spans seconds of
/// the bench's time (boots, hang timeouts, test timeouts) and runs in milliseconds.
@Suite("Suite runner on a scripted bench")
struct SuiteRunnerTests {
  /// The DUT counts every frame right: the clip's labels are `index % 3`.
  static let counting = DUTScript().answering { $0 % 3 }

  @Test func aTestThatCountsRightPasses() async throws {
    let run = ScriptedRun(Self.counting)
    let result = await run.run([try ScriptedRun.test(limits: [Limit(.countExactMatch, .atLeast, 1)])])
    let test = try #require(result.tests.first)
    #expect(test.verdict == .passed)
    #expect(test.frames.sent == 6 && test.frames.matched == 6 && test.frames.missing == 0)
    #expect(run.frameFindings() == Array(repeating: "matched", count: 6))
    // Safe state first, then the boot's own power cycle.
    #expect(
      run.bench.observations.prefix(6)
        == [.power(.off), .power(.off), .power(.on), .booted(resetCause: "por"), .command("hello"), .cameraReset])
    #expect(run.bench.commands == ["hello", "start", "stop"])
    #expect(run.bench.powerSwitches.last == .off)
    #expect(run.boardStates == ["off", "booting", "booted", "off"])
  }

  @Test func theWatchdogFiresWhenTheDUTStopsAnswering() async throws {
    let run = ScriptedRun(Self.counting.always(frame: 3, .hang))
    let result = await run.run([try ScriptedRun.test()])
    let test = try #require(result.tests.first)
    #expect(test.verdict == .errored)
    #expect(test.errorType == "Hang")
    #expect(test.message?.hasPrefix("the DUT stopped answering: no telemetry for 5.0 seconds after frame 2 of 6") == true)
    // Frames 0-2 reported; 3 was read and never reported (dropped); 4 and 5 sent, never served.
    #expect(test.frames.matched == 3)
    #expect(run.frameFindings() == ["matched", "matched", "matched", "dropped", "missing", "missing"])
    // The watchdog waited its 5 s from the last record, on the bench's clock.
    #expect(run.bench.clock.elapsed >= .seconds(5))
    #expect(run.bench.powerSwitches.last == .off)
  }

  @Test func aHangIsPowerCycledAndTheNextTestRuns() async throws {
    let run = ScriptedRun(Self.counting.onFirstBoot(frame: 2, .hang))
    let result = await run.run([try ScriptedRun.test("first"), try ScriptedRun.test("second")])
    #expect(result.tests.map(\.verdict) == [.errored, .passed])
    #expect(run.bench.boots == 2)
    // Off at the start, off and on for the first boot, off after the hang, off and on again.
    #expect(run.bench.powerSwitches == [.off, .off, .on, .off, .off, .on, .off])
    #expect(run.bench.observations.filter { $0 == .booted(resetCause: "por") }.count == 2)
    #expect(result.tests[1].frames.matched == 6)
  }

  @Test func anErroredAttemptIsRetriedOnAFreshBoot() async throws {
    let run = ScriptedRun(Self.counting.onFirstBoot(frame: 1, .hang))
    let result = await run.run([try ScriptedRun.test(retries: 2)])
    let test = try #require(result.tests.first)
    #expect(test.verdict == .passed)
    #expect(test.earlierAttempts.map(\.errorType) == ["Hang"])
    #expect(run.bench.boots == 2)
    let started = run.events.compactMap { if case .testStarted(let s) = $0 { s.attempt } else { nil } }
    #expect(started == [1, 2])
  }

  @Test func retriesRunOutAndTheLastErrorStands() async throws {
    let run = ScriptedRun(Self.counting.always(frame: 0, .hang))
    let result = await run.run([try ScriptedRun.test(retries: 1)])
    let test = try #require(result.tests.first)
    #expect(test.verdict == .errored && test.errorType == "Hang")
    #expect(test.earlierAttempts.count == 1)
    #expect(run.bench.boots == 2)
  }

  @Test func aResetMidTestErrorsTheTestAndTheBoardIsBootedAgain() async throws {
    let run = ScriptedRun(Self.counting.onFirstBoot(frame: 2, .reboot(cause: "wdog")))
    let result = await run.run([try ScriptedRun.test("first"), try ScriptedRun.test("second")])
    let first = try #require(result.tests.first)
    #expect(first.verdict == .errored)
    #expect(first.message?.contains("the DUT reset itself during the test (reset cause wdog) near frame 2 of 6") == true)
    #expect(run.findings(.reset).count == 1)
    #expect(run.bench.observations.contains(.booted(resetCause: "wdog")))
    #expect(result.tests[1].verdict == .passed)
    #expect(run.bench.boots == 2)
  }

  @Test func aRecordWithAStaleNonceIsCountedAndIgnored() async throws {
    let run = ScriptedRun(Self.counting.always(frame: 2, .staleNonce(count: 2)))
    let result = await run.run([try ScriptedRun.test(limits: [Limit(.countExactMatch, .atLeast, 1)])])
    let test = try #require(result.tests.first)
    #expect(test.verdict == .passed)
    #expect(test.frames.staleNonce == 1 && test.frames.matched == 6 && test.frames.unknown == 0)
    let stale = try #require(run.findings(.staleNonce).first)
    #expect(stale.detail.contains("ignored; this boot's nonce is"))
  }

  @Test func framesReportedOutOfOrderCountAsMissingThenUnknown() async throws {
    let run = ScriptedRun(Self.counting.always(frame: 2, .reportAfterNext(count: 2)))
    let result = await run.run([try ScriptedRun.test(limits: [Limit(.framesMissing, .atMost, 0)])])
    let test = try #require(result.tests.first)
    // Frame 3's record passes frame 2 by: 2 is given up (the DUT read it: dropped), and its late
    // record matches nothing still expected.
    #expect(test.frames.matched == 5 && test.frames.missing == 1 && test.frames.dropped == 1)
    #expect(test.frames.unknown == 1)
    #expect(run.frameFindings() == ["matched", "matched", "dropped", "matched", "matched", "matched"])
    #expect(test.verdict == .failed)
    #expect(test.errorType == "LimitViolation")
  }

  @Test func theTestsTimeoutEndsAnAttemptThatRunsLong() async throws {
    // Six frames 40 ms apart cannot be reported within 100 ms.
    let run = ScriptedRun(Self.counting)
    let result = await run.run([try ScriptedRun.test(timeout: .milliseconds(100))])
    let test = try #require(result.tests.first)
    #expect(test.verdict == .errored && test.errorType == "Timeout")
    #expect(test.message?.hasPrefix("test timed out after 0.1 seconds with 2 of 6 frames reported") == true)
    #expect(test.frames.matched == 2)
  }

  @Test func aBoardThatNeverBootsErrorsTheTestAfterTheBootTimeout() async throws {
    var script = Self.counting
    script.boots = { _ in false }
    let run = ScriptedRun(script)
    let result = await run.run([try ScriptedRun.test()])
    let test = try #require(result.tests.first)
    #expect(test.verdict == .errored && test.errorType == "Timeout")
    #expect(test.message?.hasPrefix("no boot record from the board within 10.0 seconds of power on") == true)
    #expect(run.bench.clock.elapsed >= .seconds(10))
    #expect(run.bench.powerSwitches.last == .off)
  }

  @Test func lostLastRecordsAreProbedWithStatsAndTheTestEnds() async throws {
    let run = ScriptedRun(Self.counting.always(frame: 5, .silent))
    let result = await run.run([try ScriptedRun.test()])
    let test = try #require(result.tests.first)
    #expect(test.verdict == .passed)
    #expect(run.bench.commands == ["hello", "start", "stats", "stop"])
    #expect(test.frames.matched == 5 && test.frames.dropped == 1)
  }

  @Test func aFailedCameraCheckErrorsTheTest() async throws {
    var script = Self.counting
    script.cameraCheckError = ("camera_spi", "ArduChip test register read back wrong")
    let run = ScriptedRun(script)
    let result = await run.run([try ScriptedRun.test()])
    let test = try #require(result.tests.first)
    #expect(test.verdict == .errored)
    #expect(test.message?.hasPrefix("the DUT's camera check failed: camera_spi") == true)
    #expect(run.findings(.cameraFailed).count == 1)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

@testable import RigCore

/// A run cancelled (as SIGINT cancels it) at each step of DESIGN §3 ends at once, says which test
/// it interrupted and why, and leaves the board powered off.
@Suite("Runner cancelled at each step")
struct RunnerCancellationTests {
  /// Steps within a test, each named by what the bench sees when it happens.
  static let stepsInATest: [BenchObservation] = [
    .power(.on), .booted(resetCause: "por"), .command("hello"), .cameraReset, .command("start"), .queued(2),
    .captured(1), .reported(3), .command("stop"),
  ]

  @Test(arguments: stepsInATest)
  func cancelledWithinATest(at step: BenchObservation) async throws {
    let run = ScriptedRun(SuiteRunnerTests.counting.cancelling { $0 == step })
    let result = await run.run([try ScriptedRun.test("first"), try ScriptedRun.test("second")])
    #expect(result.interruption == "SIGINT")
    let first = try #require(result.tests.first)
    #expect(first.verdict == .errored && first.errorType == "Interrupted")
    #expect(first.message == "interrupted by SIGINT")
    // The second test never starts.
    #expect(result.tests[1].message == "not run: the run was interrupted (SIGINT)")
    #expect(run.bench.commands.filter { $0 == "start" }.count <= 1)
    #expect(run.bench.powerSwitches.last == .off)
    #expect(run.boardStates.last == "off")
  }

  @Test func cancelledWhileTheBenchIsMadeSafeRunsNoTest() async throws {
    let run = ScriptedRun(SuiteRunnerTests.counting.cancelling { $0 == .power(.off) })
    let result = await run.run([try ScriptedRun.test()])
    #expect(result.interruption == "SIGINT")
    #expect(result.tests.map(\.message) == ["not run: the run was interrupted (SIGINT)"])
    #expect(run.bench.boots == 0)
    #expect(run.bench.powerSwitches == [.off, .off])
  }

  @Test func cancelledDuringTheWatchdogsWaitEndsTheWaitAsAnInterruption() async throws {
    // The DUT hangs at frame 1; the cancellation comes while the watchdog waits for frame 1's
    // record, so the hang is never declared.
    let run = ScriptedRun(SuiteRunnerTests.counting.always(frame: 1, .hang).cancelling { $0 == .hung(1) })
    let result = await run.run([try ScriptedRun.test()])
    let test = try #require(result.tests.first)
    #expect(test.errorType == "Interrupted")
    #expect(run.bench.clock.elapsed < .seconds(5))
    #expect(run.bench.powerSwitches.last == .off)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSimulator
import RigTestSupport
import Testing

/// A run cancelled as a signal cancels it, at each wait the runner makes: the test under way is
/// `Interrupted`, never blamed on the DUT (hang, timeout, protocol error) or the flasher, and the
/// bench ends switched off.
@Suite("runner: cancellation is an interruption, at every wait", .timeLimit(.minutes(TestTime.minutes(2))))
struct RunnerInterruptionTests {
  static let twoTests = """
    suite: interrupted
    tests:
      - { name: first, clip: CLIPS/corridor-light }
      - { name: second, clip: CLIPS/empty-room }
    """

  @Test("cancelled while a real-time DUT works on its frames: Interrupted, not Hang")
  func whileFramesStream() async throws {
    let h = try RunnerHarness(suite: Self.twoTests, simulated: "  pace: 1")
    let run = h.start(interruption: "SIGTERM")
    #expect(await h.eventually { $0.framesReported >= 3 })
    run.cancel()
    let result = await run.value
    Self.expectInterrupted(result, by: "SIGTERM")
    #expect(h.lastBoardState == "off")
    await h.close()
  }

  @Test("cancelled while waiting for the boot record: Interrupted, not a boot timeout")
  func whileBooting() async throws {
    let h = try RunnerHarness(suite: Self.twoTests, simulated: "  boot_time: 4s")
    let run = h.start(interruption: "SIGINT")
    #expect(await h.eventually { $0.saw(boardState: "booting") })
    run.cancel()
    let result = await run.value
    Self.expectInterrupted(result, by: "SIGINT")
    #expect(h.lastBoardState == "off")
    await h.close()
  }

  @Test("cancelled while flashing: every test is interrupted, none errored as a flash failure")
  func whileFlashing() async throws {
    let image = RunnerHarness.repositoryRoot.appendingPathComponent("Fixtures/firmware/demo-counting.hex").path
    let h = try RunnerHarness(
      suite: "firmware: { image: \(image) }\n" + Self.twoTests,
      simulated: "  flash: { baud: 115200 }")
    let run = h.start(interruption: "SIGTERM")
    #expect(await h.eventually { $0.saw(boardState: "flashing") })
    try await Task.sleep(for: .milliseconds(200))
    run.cancel()
    let result = await run.value
    #expect(result.tests.map(\.errorType) == ["Interrupted", "Interrupted"], "\(result.tests.map(\.message))")
    #expect(result.tests.allSatisfy { $0.message?.contains("SIGTERM") == true })
    #expect(result.interruption == "SIGTERM")
    #expect(h.lastBoardState == "off")
    await h.close()
  }

  /// The first test errored as interrupted, the second not run, the run marked interrupted.
  static func expectInterrupted(_ result: RunResult, by signal: String) {
    #expect(result.interruption == signal)
    #expect(result.tests.map(\.verdict) == [.errored, .errored])
    #expect(result.tests.map(\.errorType) == ["Interrupted", "Interrupted"], "\(result.tests.map(\.message))")
    #expect(result.tests[0].message == "interrupted by \(signal)", "\(result.tests[0].details ?? "")")
    #expect(result.tests[1].message?.hasPrefix("not run") == true)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSimulator
import RigTestSupport
import Testing

@Suite("Simulated bench pacing", .timeLimit(.minutes(TestTime.minutes(1))))
struct SimulatedBenchPacingTests {
  @Test("pace 1 makes the DUT take its modelled latency in wall time")
  func pacing() async throws {
    let latency = LatencyModel(invokeMs: 20, jitterMs: 0)
    let h = BenchHarness(
      settings: SimulationSettings(bootTime: .milliseconds(5), pace: 1, latency: latency))
    try await h.startTest("paced")
    let frames = (0..<5).map { _ in TestFrames.gray(squares: []) }
    let start = ContinuousClock.now
    let records = try await h.play(frames)
    let elapsed = ContinuousClock.now - start
    #expect(records.count == 5)
    let modelled = records.map { $0.cycles.reduce(0) { $0 + UInt64($1) } }.reduce(0, +)
    let modelledSeconds = Double(modelled) / 600e6
    #expect(modelledSeconds > 0.1)
    #expect(elapsed >= .milliseconds(Int(modelledSeconds * 1000)))
    await h.close()
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSimulator
import Testing

@Suite("Simulated bench speed", .timeLimit(.minutes(1)))
struct SimulatedBenchPerformanceTests {
  /// DESIGN §8: ≥ 2,000 frames/s end-to-end for 96×96 gray with a zero-latency DUT. Debug
  /// builds run the counting code unoptimised, so they are held to a lower bar.
  #if DEBUG
    static let requiredFramesPerSecond = 300.0
  #else
    static let requiredFramesPerSecond = 2_000.0
  #endif

  @Test("pace 0 sustains the frame-rate target for 96×96 gray end to end")
  func throughput() async throws {
    let h = BenchHarness()
    try await h.startTest("speed")
    let frames = (0..<8).map { i in
      TestFrames.gray(squares: [.init(x: 8 * i, y: 10), .init(x: 50, y: 5 + 8 * i)], seed: i)
    }
    let count = 3_000
    let start = ContinuousClock.now
    var sent = 0
    var received = 0
    let capacity = h.bench.camera.queueCapacity
    var pending: [UInt8] = []
    // The host side kept as lean as the runner's: count record lines, check nothing else.
    while received < count {
      while sent < count && sent - received < capacity {
        try await h.bench.camera.enqueue(
          EmulatorFrame(index: sent, bytes: frames[sent % frames.count]),
          deadline: .now + .seconds(1))
        sent += 1
      }
      let chunk = try #require(try await h.bench.console.read(until: .now + .seconds(5)))
      pending += chunk.bytes
      while let newline = pending.firstIndex(of: 0x0A) {
        received += 1
        pending.removeSubrange(...newline)
      }
    }
    let elapsed = start.duration(to: .now).components
    let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    let rate = Double(count) / seconds
    print(
      "simulated bench: \(count) frames in \(String(format: "%.3f", seconds)) s = "
        + "\(Int(rate)) frames/s (required \(Int(Self.requiredFramesPerSecond)), "
        + "ratio \(String(format: "%.2f", rate / Self.requiredFramesPerSecond)))")
    #expect(rate >= Self.requiredFramesPerSecond)
    await h.close()
  }

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
    #expect(elapsed < .milliseconds(Int(modelledSeconds * 1000) + 500))
    await h.close()
  }
}

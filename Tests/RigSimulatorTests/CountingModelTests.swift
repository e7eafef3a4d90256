// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@testable import RigSimulator

@Suite("Counting firmware models")
struct CountingModelTests {
  private func detect(_ pixels: [UInt8], threshold: Int = 40, minBlob: Int = 30)
    -> PeopleCounter.Result
  {
    var counter = PeopleCounter(threshold: threshold, minBlobPixels: minBlob)
    return pixels.withUnsafeBufferPointer { counter.detect($0, width: 96, height: 96) }
  }

  @Test("each bright square on a dark frame is one person, at its centre")
  func squaresArePeople() throws {
    let frame = TestFrames.gray(
      squares: [.init(x: 5, y: 5), .init(x: 40, y: 60), .init(x: 80, y: 10)])
    let result = detect(frame)
    #expect(result.blobs.count == 3)
    #expect(result.activePixels == 300)
    let first = try #require(result.blobs.first)
    #expect(first.x == 9.5)
    #expect(first.y == 9.5)
    #expect(first.pixels == 100)
  }

  @Test("components below the minimum size are noise, and diagonal contact does not join blobs")
  func noiseAndConnectivity() {
    // A 5x5 square is 25 pixels, below 30: noise. Two 6x6 squares touching only at a corner:
    // 4-connectivity keeps them apart.
    let frame = TestFrames.gray(
      squares: [
        .init(x: 10, y: 10, size: 5), .init(x: 30, y: 30, size: 6), .init(x: 36, y: 36, size: 6),
      ])
    let result = detect(frame, minBlob: 30)
    #expect(result.blobs.count == 2)
    #expect(result.components == 3)
  }

  @Test("a frame that is mostly bright still counts the brighter people on it")
  func medianBackground() {
    var frame = [UInt8](repeating: 150, count: 96 * 96)
    for y in 20..<30 { for x in 20..<30 { frame[y * 96 + x] = 250 } }
    #expect(detect(frame).blobs.count == 1)
    #expect(detect([UInt8](repeating: 150, count: 96 * 96)).blobs.isEmpty)
  }

  @Test("a track crossing the line downwards counts in, upwards counts out")
  func lineCrossing() {
    var tracker = CentroidTracker(radius: 14, lineY: 48)
    let path: [Double] = [30, 38, 46, 54, 62]
    for y in path { tracker.update([.init(x: 20, y: y, pixels: 100)]) }
    #expect(tracker.inCount == 1)
    #expect(tracker.outCount == 0)
    for y in path.reversed() { tracker.update([.init(x: 20, y: y, pixels: 100)]) }
    #expect(tracker.outCount == 1)
  }

  @Test("a jump larger than the tracking radius starts a new track and counts nothing")
  func trackingRadius() {
    var tracker = CentroidTracker(radius: 14, lineY: 48)
    tracker.update([.init(x: 20, y: 40, pixels: 100)])
    tracker.update([.init(x: 20, y: 60, pixels: 100)])
    #expect(tracker.inCount == 0)
  }

  @Test("greedy matching pairs the nearest people first")
  func greedyMatching() {
    var tracker = CentroidTracker(radius: 14, lineY: 48)
    tracker.update([.init(x: 10, y: 44, pixels: 100), .init(x: 30, y: 52, pixels: 100)])
    // Both move 6 px: one down across the line, one up across it.
    tracker.update([.init(x: 30, y: 46, pixels: 100), .init(x: 10, y: 50, pixels: 100)])
    #expect(tracker.inCount == 1)
    #expect(tracker.outCount == 1)
  }

  @Test("latency cycles follow the model: SPI time for capture, per-person and jitter on invoke")
  func latencyCycles() {
    let model = LatencyModel(
      cpuHz: 600_000_000, spiHz: 8_000_000, invokeMs: 24, perPersonMs: 0.8,
      perActivePixelMs: 0.002, preprocessMs: 0.6, postprocessMs: 0.15, jitterMs: 0.4)
    let c = model.cycles(
      bytesRead: 9216, people: 2, activePixels: 200_000, stages: 4, jitter: 1, slowdown: 1)
    #expect(c.capture == 5_529_600)  // 9216 × 8 / 8 MHz = 9.216 ms
    #expect(c.preprocess == 360_000)
    // 24 + 1.6 + 0.002 × 200,000 ÷ 1000 + 0.4 = 26.4 ms
    #expect(c.invoke == 15_840_000)
    #expect(c.postprocess == 90_000)
    let slow = model.cycles(
      bytesRead: 9216, people: 2, activePixels: 200_000, stages: 4, jitter: 1, slowdown: 2)
    #expect(slow.total == 2 * c.total)
    let bad = model.cycles(
      bytesRead: 0, people: 0, activePixels: 0, stages: 1, jitter: 0, slowdown: 1)
    #expect(bad.total == 0)
  }

  @Test("seeded randomness repeats exactly and differs between frames")
  func seededRandom() {
    var a = SeededRandom(seed: 7, test: SeededRandom.hash("t"), frame: 3, purpose: 1)
    var b = SeededRandom(seed: 7, test: SeededRandom.hash("t"), frame: 3, purpose: 1)
    var c = SeededRandom(seed: 7, test: SeededRandom.hash("t"), frame: 4, purpose: 1)
    let x = (0..<4).map { _ in a.next() }
    #expect(x == (0..<4).map { _ in b.next() })
    #expect(x != (0..<4).map { _ in c.next() })
    var g = SeededRandom(seed: 1, test: 0, frame: 0, purpose: 0)
    let samples = (0..<20_000).map { _ in g.gaussian() }
    let mean = samples.reduce(0, +) / Double(samples.count)
    let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
    #expect(abs(mean) < 0.05)
    #expect(abs(variance - 1) < 0.05)
  }

  @Test("faults apply by test name and frame, and once-faults fire once per bench")
  func faultPlan() {
    let faults = [
      SimulatedFault(kind: .hang, test: "a", frame: 2),
      SimulatedFault(kind: .miscount, test: nil, frame: 2, factor: 2),
      SimulatedFault(kind: .reset, test: "a", frame: 2, once: true),
    ]
    let plan = FaultPlan(faults: faults, test: "a")
    var fired = Set<Int>()
    #expect(!plan.hasFaults(at: 1))
    let first = plan.firing(at: 2, fired: &fired)
    #expect(first.hang && first.reset && first.miscount == 2)
    let second = plan.firing(at: 2, fired: &fired)
    #expect(second.hang && !second.reset)
    let other = FaultPlan(faults: faults, test: "b").firing(at: 2, fired: &fired)
    #expect(!other.hang && other.miscount == 2)
  }

  @Test("damaging a record line keeps it one line but changes a byte")
  func damageRecord() {
    let line = Array("~T1 abc 123*DEADBEEF\r\n".utf8)
    var damaged = line
    FirmwareConsole.damage(&damaged)
    #expect(damaged != line)
    #expect(damaged.count == line.count)
    #expect(damaged.filter { $0 == 0x0A || $0 == 0x0D }.count == 2)
  }
}

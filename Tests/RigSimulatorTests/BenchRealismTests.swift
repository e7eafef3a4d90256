// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSimulator
import RigTestSupport
import Testing

/// The noise of a real bench and a regressed firmware build, as the virtual board reports them.
@Suite("Simulated bench realism: noise across runs and boards, regressed builds", .timeLimit(.minutes(TestTime.minutes(1))))
struct BenchRealismTests {
  typealias Square = TestFrames.Square
  static let four = [Square(x: 10, y: 10), Square(x: 60, y: 20), Square(x: 30, y: 70), Square(x: 75, y: 75)]
  /// 20 frames of four people, then 4 empty frames.
  static let frames = (0..<20).map { _ in TestFrames.gray(squares: four) } + (0..<4).map { _ in TestFrames.gray(squares: []) }

  private func settings(
    seed: UInt64 = 1, latency: LatencyModel = LatencyModel(jitterMs: 0),
    regression: FirmwareRegression = FirmwareRegression()
  ) -> SimulationSettings {
    SimulationSettings(seed: seed, bootTime: .milliseconds(5), latency: latency, regression: regression)
  }

  /// Boots, plays `frames` in test `test`, returns the boot record and the frame records.
  private func run(
    _ settings: SimulationSettings, rig: String = "sim-test", test: String = "realism",
    timeout: Duration = .seconds(10)
  ) async throws -> (boot: RecordReader.Record, frames: [RecordReader.Record]) {
    let h = BenchHarness(settings: settings, rig: rig)
    let boot = try await h.boot()
    await h.close()
    let g = BenchHarness(settings: settings, rig: rig)
    try await g.startTest(test)
    let records = try await g.play(Self.frames, timeout: timeout)
    await g.close()
    return (boot, records)
  }

  private func invoke(_ records: [RecordReader.Record]) -> [Int] { records.map { Int($0.cycles[2]) } }

  @Test("a run offset shifts every frame of a run by one amount; a board offset, every run of a board")
  func offsets() async throws {
    let noisy = LatencyModel(jitterMs: 0, runOffsetMs: 0.5, boardOffsetMs: 0.5)
    let a = invoke(try await run(settings(seed: 1, latency: noisy)).frames)
    let sameRun = invoke(try await run(settings(seed: 1, latency: noisy)).frames)
    let otherRun = invoke(try await run(settings(seed: 2, latency: noisy)).frames)
    let otherBoard = invoke(try await run(settings(seed: 1, latency: noisy), rig: "sim-other").frames)
    #expect(a.count == Self.frames.count)
    #expect(a == sameRun)
    for other in [otherRun, otherBoard] {
      let shifts = Set(zip(a, other).map { $1 - $0 })
      #expect(shifts.count <= 2, "one shift for every frame, give or take a cycle of rounding: \(shifts)")
      #expect(shifts.allSatisfy { $0 != 0 })
    }
    let quiet = invoke(try await run(settings(seed: 2)).frames)
    #expect(quiet == invoke(try await run(settings(seed: 1)).frames))
  }

  @Test("spikes add a heavy tail: some frames much slower, the rest untouched")
  func spikes() async throws {
    let base = invoke(try await run(settings()).frames)
    let spiky = invoke(try await run(settings(latency: LatencyModel(jitterMs: 0, spikeRate: 0.3, spikeMs: 3))).frames)
    let extra = zip(base, spiky).map { Double($1 - $0) / 600_000 }
    #expect(extra.contains(0))
    #expect(extra.filter { $0 > 0 }.count >= 2)
    #expect(extra.allSatisfy { $0 >= 0 })
  }

  @Test("a latency scale slows every stage of every frame by that factor")
  func latencyScale() async throws {
    let base = try await run(settings()).frames.map(\.cycles)
    let slow = try await run(settings(regression: FirmwareRegression(latencyScale: 1.1))).frames.map(\.cycles)
    #expect(base.count == slow.count)
    for (b, s) in zip(base, slow) {
      for (x, y) in zip(b, s) where x > 0 { #expect(abs(Double(y) / Double(x) - 1.1) < 1e-4) }
    }
  }

  @Test("a counting regression changes the chosen frames only, the same frames on every seed")
  func miscount() async throws {
    let regression = FirmwareRegression(miscountRate: 0.4, miscountBy: -1, miscountFrames: [3])
    let first = try await run(settings(seed: 1, regression: regression)).frames.compactMap(\.count)
    let second = try await run(settings(seed: 9, regression: regression)).frames.compactMap(\.count)
    #expect(first.count == Self.frames.count)
    #expect(first == second)
    #expect(first[3] == 3)
    let changed = first.prefix(20).filter { $0 == 3 }.count
    #expect(changed >= 3 && changed < 20)
    #expect(first.prefix(20).allSatisfy { $0 == 3 || $0 == 4 }, "no cascade: each frame is 4 or 3")
    #expect(first.suffix(4) == [0, 0, 0, 0], "an empty frame cannot be under-counted")
  }

  @Test("a drop rate leaves frames without a record, different frames on another seed")
  func drops() async throws {
    let regression = FirmwareRegression(dropRate: 0.3)
    // The records that do come arrive within milliseconds; the wait is for those that never do.
    func sequences(_ seed: UInt64) async throws -> [Int] {
      try await run(settings(seed: seed, regression: regression), timeout: .seconds(1)).frames.compactMap(\.sequence)
    }
    let first = try await sequences(1)
    #expect(first.count < Self.frames.count && first.count > 5)
    #expect(first == first.sorted())
    #expect(try await sequences(2) != first)
  }

  @Test("extra RAM and a leak show in the heap high-water mark, growing with frames since boot")
  func memory() async throws {
    let regression = FirmwareRegression(ramBytes: 8192, leakBytesPerFrame: 16)
    let heaps = try await run(settings(regression: regression)).frames.compactMap { $0.int("heap") }
    #expect(heaps == (1...Self.frames.count).map { 8192 + 16 * $0 })
    let base = try await run(settings()).frames.compactMap { $0.int("heap") }
    #expect(base.allSatisfy { $0 == 0 })
  }

  @Test("a regressed build reports another firmware version; the unregressed one reports sim-1.0.0")
  func firmwareIdentity() async throws {
    let plain = try await run(settings()).boot
    #expect(plain.fields["fw"] == "sim-1.0.0")
    let regression = FirmwareRegression(latencyScale: 1.1)
    let fingerprint = try #require(regression.fingerprint)
    #expect(regression.canonicalDescription == "latency_scale=1.1")
    let regressed = try await run(settings(regression: regression)).boot
    #expect(regressed.fields["fw"] == "sim-1.0.0+r.\(fingerprint)")
    #expect(FirmwareRegression(dropRate: 0.001).fingerprint != fingerprint)
    #expect(FirmwareRegression().fingerprint == nil)
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigSimulator
import RigTestSupport
import Testing

@Suite("Simulated bench faults", .timeLimit(.minutes(TestTime.minutes(1))))
struct SimulatedFaultTests {
  typealias Square = TestFrames.Square

  private func harness(_ faults: [SimulatedFault]) -> BenchHarness {
    BenchHarness(settings: SimulationSettings(bootTime: .milliseconds(5), faults: faults))
  }

  /// Six frames with 1, 2, 3, 1, 2, 3 people.
  private let frames: [[UInt8]] = (0..<6).map { i in
    TestFrames.gray(
      squares: [Square(x: 5, y: 5), Square(x: 40, y: 40), Square(x: 75, y: 75)].prefix(i % 3 + 1)
        .map { $0 }, seed: i)
  }

  @Test("hang: no more records after the frame, until a power cycle boots the DUT again")
  func hang() async throws {
    let h = harness([SimulatedFault(kind: .hang, test: "t", frame: 2)])
    try await h.startTest("t")
    let records = try await h.play(frames, timeout: .milliseconds(500))
    #expect(records.count == 2)
    #expect(try await h.records.next(within: .milliseconds(200)) == nil)
    try await h.bench.power.set(.off)
    let boot = try await h.boot()
    #expect(boot.resetCause == "por")
    await h.close()
  }

  @Test("power off stops the DUT at once: nothing more arrives")
  func powerOffIsImmediate() async throws {
    let h = BenchHarness()
    try await h.startTest("t")
    _ = try await h.play(Array(frames.prefix(2)))
    try await h.bench.power.set(.off)
    h.bench.console.discardInput()
    for (i, frame) in frames.enumerated() {
      try await h.bench.camera.enqueue(
        EmulatorFrame(index: i, bytes: frame), deadline: .now + .seconds(1))
    }
    #expect(try await h.records.next(within: .milliseconds(200)) == nil)
    await h.close()
  }

  @Test("reset: a boot record with reset=wdog and nonce 0 replaces the frame's record")
  func reset() async throws {
    let h = harness([SimulatedFault(kind: .reset, test: "t", frame: 1)])
    try await h.startTest("t")
    let records = try await h.play(Array(frames.prefix(3)), timeout: .milliseconds(500))
    #expect(records.count == 1)
    let boot = try #require(h.skipped.first { $0.kind == "boot" })
    #expect(boot.resetCause == "wdog")
    #expect(boot.nonce == 0)
    await h.close()
  }

  @Test("once: the fault fires on the first run of the test only")
  func once() async throws {
    let h = harness([SimulatedFault(kind: .hang, test: "t", frame: 0, once: true)])
    try await h.startTest("t")
    #expect(try await h.play(Array(frames.prefix(1)), timeout: .milliseconds(300)).isEmpty)
    try await h.bench.power.set(.off)
    try await h.bench.camera.reset(deadline: .now + .seconds(1))
    try await h.startTest("t")
    #expect(try await h.play(Array(frames.prefix(1))).count == 1)
    await h.close()
  }

  @Test("garbage: noise bytes appear on the console, and the frame's record still follows")
  func garbage() async throws {
    let h = harness([SimulatedFault(kind: .garbage, test: "t", frame: 1)])
    try await h.startTest("t")
    let records = try await h.play(Array(frames.prefix(3)))
    #expect(records.count == 3)
    #expect(records.allSatisfy { $0.intact })
    #expect(h.records.noise.count == 1)
    await h.close()
  }

  @Test("corrupt_record: that frame's record fails its checksum")
  func corruptRecord() async throws {
    let h = harness([SimulatedFault(kind: .corruptRecord, test: "t", frame: 1)])
    try await h.startTest("t")
    let records = try await h.play(Array(frames.prefix(3)))
    #expect(records.map(\.intact) == [true, false, true])
    await h.close()
  }

  @Test("stale_record: an extra frame record with another nonce appears")
  func staleRecord() async throws {
    let h = harness([SimulatedFault(kind: .staleRecord, test: "t", frame: 1)])
    try await h.startTest("t")
    let records = try await h.play(Array(frames.prefix(3)))
    #expect(records.count == 3)
    let stale = h.skipped.filter { $0.kind == "frame" }
    #expect(stale.count == 1)
    #expect(stale.first?.nonce != h.nonce)
    await h.close()
  }

  @Test("corrupt_frame: the DUT reads a damaged frame, so only that CRC differs")
  func corruptFrame() async throws {
    let h = harness([SimulatedFault(kind: .corruptFrame, test: "t", frame: 1)])
    try await h.startTest("t")
    let played = Array(frames.prefix(3))
    let records = try await h.play(played)
    #expect(
      records.map { $0.frameCRC == CRC32.checksum(played[$0.sequence ?? 0]) } == [
        true, false, true,
      ])
    await h.close()
  }

  @Test("repeat_frame: the previous frame's CRC and count are reported again")
  func repeatFrame() async throws {
    let h = harness([SimulatedFault(kind: .repeatFrame, test: "t", frame: 2)])
    try await h.startTest("t")
    let records = try await h.play(Array(frames.prefix(3)))
    try #require(records.count == 3)
    #expect(records[2].frameCRC == records[1].frameCRC)
    #expect(records[2].count == 2)
    #expect(records[2].sequence == 2)
    await h.close()
  }

  @Test("slowdown multiplies latency from its frame on; miscount offsets the count")
  func slowdownAndMiscount() async throws {
    let h = harness([
      SimulatedFault(kind: .slowdown, test: "t", frame: 2, factor: 3),
      SimulatedFault(kind: .miscount, test: "t", frame: 4, factor: 2),
    ])
    try await h.startTest("t")
    let records = try await h.play(frames)
    try #require(records.count == frames.count)
    let totals = records.map { $0.cycles.reduce(0) { $0 + UInt64($1) } }
    #expect(totals[2] > 2 * totals[1])
    #expect(totals[5] > 2 * totals[0])
    #expect(records.map(\.count) == [1, 2, 3, 1, 4, 5])
    await h.close()
  }

  @Test("faults of another test do not fire")
  func otherTest() async throws {
    let h = harness([SimulatedFault(kind: .hang, test: "other", frame: 0)])
    try await h.startTest("t")
    #expect(try await h.play(Array(frames.prefix(2))).count == 2)
    await h.close()
  }

  @Test("emulator faults injected over the link reach the DUT's driver, aimed at one frame")
  func emulatorFaults() async throws {
    let h = BenchHarness()
    try await h.startTest("t")
    let camera = try #require(h.simulated.camera)
    try await camera.inject(.lengthZero, mode: .once, parameter: 0, frame: 1, deadline: .now + .seconds(1))
    let records = try await h.play(Array(frames.prefix(3)))
    #expect(records.map(\.status) == ["ok", "len_invalid", "ok"])
    await h.close()
  }

  @Test("testreg_fail and i2c_nack make the firmware's camera check at start report an error")
  func cameraCheckAtStart() async throws {
    let h = BenchHarness()
    try await h.startTest("first")
    let camera = try #require(h.simulated.camera)
    try await camera.inject(.testRegisterFail, mode: .once, parameter: 0, frame: nil, deadline: .now + .seconds(1))
    try await camera.inject(.i2cNack, mode: .once, parameter: 0, frame: nil, deadline: .now + .seconds(1))
    try await h.records.start(test: "second")
    var errors: [String] = []
    while let record = try await h.records.next(within: .seconds(1)), record.kind != "ack" {
      if record.kind == "err", let code = record.fields["code"] { errors.append(code) }
    }
    #expect(errors == ["camera_spi", "camera_sensor"])
    await h.close()
  }
}

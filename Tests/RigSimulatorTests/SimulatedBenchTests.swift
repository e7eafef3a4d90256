// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSimulator
import RigTestSupport
import Testing

@Suite("Simulated bench through the capability protocols", .timeLimit(.minutes(TestTime.minutes(1))))
struct SimulatedBenchTests {
  typealias Square = TestFrames.Square

  /// Frames with 0, 1, 2, 3 and 4 people at fixed places.
  static let crowd: [[Square]] = [
    [],
    [Square(x: 10, y: 10)],
    [Square(x: 10, y: 10), Square(x: 60, y: 20)],
    [Square(x: 10, y: 10), Square(x: 60, y: 20), Square(x: 30, y: 70)],
    [Square(x: 10, y: 10), Square(x: 60, y: 20), Square(x: 30, y: 70), Square(x: 75, y: 75)],
  ]

  @Test("power on gives a boot record with nonce 0 and reset cause por")
  func bootRecord() async throws {
    let h = BenchHarness()
    let boot = try await h.boot()
    #expect(boot.nonce == 0)
    #expect(boot.resetCause == "por")
    await h.close()
  }

  @Test("hello with a nonce is answered by a hello record carrying that nonce")
  func hello() async throws {
    let h = BenchHarness()
    try await h.boot()
    try await h.records.hello(nonce: 0x1234_ABCD)
    let hello = try #require(try await h.records.next("hello"))
    #expect(hello.nonce == 0x1234_ABCD)
    await h.close()
  }

  @Test("each frame gives one record whose CRC is the frame's and whose count is its squares")
  func framesAreCounted() async throws {
    let h = BenchHarness()
    try await h.startTest("crowd")
    let frames = Self.crowd.map { TestFrames.gray(squares: $0) }
    let records = try await h.play(frames)
    #expect(records.count == frames.count)
    for (i, record) in records.enumerated() {
      #expect(record.intact)
      #expect(record.sequence == i)
      #expect(record.frameCRC == CRC32.checksum(frames[i]))
      #expect(record.count == Self.crowd[i].count)
      #expect(record.status == "ok")
    }
    await h.close()
  }

  @Test("a corrupted byte changes the reported CRC, and a removed square changes the count")
  func resultsComeFromPixels() async throws {
    let h = BenchHarness()
    try await h.startTest("pixels")
    let original = TestFrames.gray(squares: Self.crowd[3])
    var corrupted = original
    corrupted[4000] ^= 0x01
    let fewer = TestFrames.gray(squares: Array(Self.crowd[3].dropLast()))
    let records = try await h.play([original, corrupted, fewer])
    try #require(records.count == 3)
    #expect(records[0].frameCRC == CRC32.checksum(original))
    #expect(records[1].frameCRC == CRC32.checksum(corrupted))
    #expect(records[1].frameCRC != records[0].frameCRC)
    #expect(records[0].count == 3)
    #expect(records[2].count == 2)
    await h.close()
  }

  @Test("the emulator's read-done event carries the CRC of what the DUT read")
  func emulatorEvents() async throws {
    let h = BenchHarness()
    try await h.startTest("events")
    let frame = TestFrames.gray(squares: Self.crowd[1])
    _ = try await h.play([frame])
    var readDone: EmulatorEvent?
    while let event = try await h.bench.camera.nextEvent(until: .now + .seconds(1)) {
      if case .readDone = event {
        readDone = event
        break
      }
    }
    guard case .readDone(_, let index, let bytes, let crc, _) = try #require(readDone) else {
      Issue.record("no read-done event")
      return
    }
    #expect(index == 0)
    #expect(bytes == frame.count)
    #expect(crc == CRC32.checksum(frame))
    let status = try await h.bench.camera.status(deadline: .now + .seconds(1))
    #expect(status.framesServed == 1)
    #expect(status.bytesRead == frame.count)
    await h.close()
  }

  @Test("RGB565 frames count like their gray equivalents; JPEG is reported as decode_fail")
  func otherFormats() async throws {
    let h = BenchHarness()
    try await h.startTest("rgb", setup: .init(format: .rgb565be, width: 96, height: 96))
    let rgb = TestFrames.rgb565be(fromGray: TestFrames.gray(squares: Self.crowd[2]))
    let records = try await h.play([rgb])
    #expect(records.first?.count == 2)
    #expect(records.first?.frameCRC == CRC32.checksum(rgb))
    try await h.bench.camera.configure(
      .init(format: .jpeg, width: 96, height: 96), deadline: .now + .seconds(1))
    let jpeg: [UInt8] =
      [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0x42, count: 600) + [0xFF, 0xD9]
    let decoded = try await h.play([jpeg])
    #expect(decoded.first?.status == "decode_fail")
    #expect(decoded.first?.frameCRC == CRC32.checksum(jpeg))
    await h.close()
  }

  @Test("a frame whose length is not the configured size is len_invalid")
  func wrongLength() async throws {
    let h = BenchHarness()
    try await h.startTest("short")
    let records = try await h.play([[UInt8](repeating: 30, count: 5000)])
    #expect(records.first?.status == "len_invalid")
    #expect(records.first?.count == 0)
    await h.close()
  }

  @Test("people walking down across the counting line are counted in, and up as out")
  func lineCounting() async throws {
    let h = BenchHarness()
    try await h.startTest("walk")
    let down = stride(from: 20, through: 70, by: 5).map {
      TestFrames.gray(squares: [Square(x: 20, y: $0)])
    }
    let up = stride(from: 70, through: 20, by: -5).map {
      TestFrames.gray(squares: [Square(x: 60, y: $0)])
    }
    let records = try await h.play(down + up)
    try #require(records.count == down.count + up.count)
    #expect(records[down.count - 1].inCount == 1)
    #expect(records[down.count - 1].outCount == 0)
    #expect(records.last?.inCount == 1)
    #expect(records.last?.outCount == 1)
    await h.close()
  }

  @Test("stop answers with a summary and an ack; start again resets the sequence")
  func stopAndRestart() async throws {
    let h = BenchHarness()
    try await h.startTest("first")
    _ = try await h.play([TestFrames.gray(squares: []), TestFrames.gray(squares: [])])
    try await h.records.stop()
    let summary = try #require(try await h.records.next("sum"))
    #expect(summary.int("frames") == 2)
    try await h.records.start(test: "second")
    _ = try #require(try await h.records.next("ack"))
    let records = try await h.play([TestFrames.gray(squares: [])])
    #expect(records.first?.sequence == 0)
    await h.close()
  }

  @Test("bytes written while the DUT is off are lost")
  func writesWhileOffAreLost() async throws {
    let h = BenchHarness()
    try await h.records.hello(nonce: 77)
    try await h.boot()
    #expect(try await h.records.next("hello", within: .milliseconds(200)) == nil)
    await h.close()
  }

  @Test("the same seed gives the same latency on two benches; another seed does not")
  func deterministicLatency() async throws {
    func cycles(seed: UInt64) async throws -> [[UInt32]] {
      let h = BenchHarness(settings: SimulationSettings(seed: seed, bootTime: .milliseconds(5)))
      try await h.startTest("latency")
      let records = try await h.play(Self.crowd.map { TestFrames.gray(squares: $0) })
      await h.close()
      return records.map(\.cycles)
    }
    let first = try await cycles(seed: 11)
    let second = try await cycles(seed: 11)
    let other = try await cycles(seed: 12)
    #expect(first.count == Self.crowd.count)
    #expect(first.allSatisfy { $0.count == 4 })
    #expect(first == second)
    #expect(first != other)
  }

  @Test("closing the bench powers the DUT off and makes the console report it is gone")
  func closeBench() async throws {
    let h = BenchHarness()
    try await h.boot()
    await h.close()
    #expect(!h.simulated.power.isOn)
    await #expect(throws: RigError.self) {
      _ = try await h.bench.console.read(until: .now + .milliseconds(10))
    }
  }

  @Test("miss and phantom rates make seeded counting errors that repeat exactly on a rerun")
  func seededCountingErrors() async throws {
    let frames = (0..<40).map { _ in TestFrames.gray(squares: Self.crowd[4]) }
    func counts(seed: UInt64) async throws -> [Int] {
      let counting = CountingModel(missRate: 0.3, phantomRate: 0.3)
      let h = BenchHarness(
        settings: SimulationSettings(seed: seed, bootTime: .milliseconds(5), counting: counting))
      try await h.startTest("noisy")
      let records = try await h.play(frames)
      await h.close()
      return records.compactMap(\.count)
    }
    let first = try await counts(seed: 5)
    #expect(first.count == frames.count)
    #expect(first.contains { $0 < 4 })
    #expect(first.contains { $0 > 4 })
    #expect(try await counts(seed: 5) == first)
    #expect(try await counts(seed: 6) != first)
  }
}

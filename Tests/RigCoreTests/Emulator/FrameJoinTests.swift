// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@Suite struct FrameJoinTests {
  static let crcs: [UInt32] = (0..<8).map { 0x1000 + UInt32($0) }

  /// A join with frames 0…7 sent, 9,216 bytes each.
  static func join() -> FrameJoin {
    var join = FrameJoin()
    for crc in crcs { join.sent(crc: crc, length: 9216) }
    return join
  }

  static func record(_ crc: UInt32, length: Int = 9216, status: String = "ok") -> FrameReport {
    FrameReport(
      sequence: 0, frameCRC: crc, length: length, count: 0, inCount: 0, outCount: 0,
      cycles: StageCycles(capture: 0, preprocess: 0, invoke: 0, postprocess: 0), stackHighWater: 0,
      heapHighWater: 0, status: status)
  }

  /// The emulator serving frame `index` as capture `index + 1`, read as `readCRC`.
  static func serve(
    _ join: inout FrameJoin, _ index: Int, readCRC: UInt32? = nil, bytes: Int = 9216,
    faults: [EmulatorFaultKind] = [], reported: Int = 9216, partial: Bool = false
  ) {
    let seq = UInt32(index + 1)
    join.observe(.captureStarted(sequence: seq, micros: 0))
    if !faults.isEmpty || reported != 9216 {
      join.observe(.frameFaulted(sequence: seq, frameIndex: index, faults: faults, reportedLength: reported, micros: 0))
    }
    join.observe(.captureDone(sequence: seq, frameIndex: index, length: 9216, micros: 0))
    if let readCRC {
      join.observe(
        partial
          ? .readAbandoned(sequence: seq, frameIndex: index, bytesRead: bytes, crc32: readCRC, micros: 0)
          : .readDone(sequence: seq, frameIndex: index, bytesRead: bytes, crc32: readCRC, micros: 0))
    }
  }

  @Test("records with the sent CRC match their frames; frames skipped are dropped or missing")
  func matchAndDrop() {
    var join = Self.join()
    Self.serve(&join, 0, readCRC: Self.crcs[0])
    Self.serve(&join, 1, readCRC: Self.crcs[1])
    #expect(join.resolve(Self.record(Self.crcs[0])).map(\.kind) == [.matched])
    // Frame 1 was served but never reported; frame 2 never served.
    let r = join.resolve(Self.record(Self.crcs[3]))
    #expect(r.map(\.kind) == [.dropped, .missing, .matched])
    #expect(r.map(\.index) == [1, 2, 3])
    #expect(r[0].detail.contains("served frame 1 (capture 2"))
    let rest = join.finish()
    #expect(rest.map(\.kind) == Array(repeating: .missing, count: 4))
    #expect(join.servedCount == 2)
  }

  @Test("a record naming the last frame again is a repeat, with the frame the emulator served")
  func repeatFrame() {
    var join = Self.join()
    Self.serve(&join, 0, readCRC: Self.crcs[0])
    _ = join.resolve(Self.record(Self.crcs[0]))
    Self.serve(&join, 1, readCRC: Self.crcs[1])
    let r = join.resolve(Self.record(Self.crcs[0]))
    #expect(r.map(\.kind) == [.duplicated])
    #expect(r.first?.index == 0)
    #expect(r.first?.detail.contains("the emulator had served frame 1") == true)
  }

  @Test("a rejected length is bad_length on the frame the emulator served, with its fault")
  func badLength() {
    var join = Self.join()
    Self.serve(&join, 0, faults: [.lengthZero], reported: 0)
    let record = Self.record(0, length: 0, status: "len_invalid")
    #expect(join.needsServedView(record))
    let r = join.resolve(record)
    #expect(r.map(\.kind) == [.badLength] && r.first?.index == 0)
    #expect(r.first?.detail.contains("FIFO length of 0 for frame 0 (9216 bytes) (fault len_zero)") == true)
    // The next frame matches normally.
    Self.serve(&join, 1, readCRC: Self.crcs[1])
    #expect(join.resolve(Self.record(Self.crcs[1])).map(\.kind) == [.matched])
  }

  @Test("damage is placed where it happened: in the emulator, or between it and the DUT")
  func damaged() {
    var join = Self.join()
    Self.serve(&join, 0, readCRC: 0xBAD, faults: [.corruptByte])
    let inEmulator = join.resolve(Self.record(0xBAD))
    #expect(inEmulator.map(\.kind) == [.damaged])
    #expect(inEmulator.first?.detail.contains("served frame 0 with other bytes") == true)
    Self.serve(&join, 1, readCRC: Self.crcs[1])
    let onTheBus = join.resolve(Self.record(0xB05))
    #expect(onTheBus.map(\.kind) == [.damaged] && onTheBus.first?.index == 1)
    #expect(onTheBus.first?.detail.contains("between the emulator and the DUT") == true)
  }

  @Test("a short read or a truncate fault is truncated")
  func truncated() {
    var join = Self.join()
    Self.serve(&join, 0, readCRC: 0xAA, bytes: 4608, partial: true)
    #expect(join.resolve(Self.record(0xAA, length: 4608)).map(\.kind) == [.truncated])
    Self.serve(&join, 1, readCRC: 0xBB, faults: [.truncate])
    let r = join.resolve(Self.record(0xBB))
    #expect(r.map(\.kind) == [.truncated])
    #expect(r.first?.detail.contains("served fill") == true)
  }

  @Test("a record no capture explains stays unknown, and the frame is not consumed")
  func unknown() {
    var join = Self.join()
    let r = join.resolve(Self.record(0xDEAD))
    #expect(r.map(\.kind) == [.unknown] && r.first?.index == nil)
    #expect(join.matcher.nextExpected == 0)
  }

  @Test("a capture started and never done names the frame it waits with")
  func stuckCapture() {
    var join = Self.join()
    Self.serve(&join, 0, readCRC: Self.crcs[0])
    _ = join.resolve(Self.record(Self.crcs[0]))
    #expect(join.stuckCapture == nil)
    join.observe(.captureStarted(sequence: 2, micros: 0))
    #expect(join.stuckCapture?.sequence == 2 && join.stuckCapture?.frame == 1)
  }

  @Test("a long clip keeps only the frames in flight")
  func boundedMemory() {
    var join = FrameJoin()
    for i in 0..<10_000 {
      join.sent(crc: UInt32(i), length: 1)
      join.observe(.captureDone(sequence: UInt32(i + 1), frameIndex: i, length: 1, micros: 0))
      join.observe(.readDone(sequence: UInt32(i + 1), frameIndex: i, bytesRead: 1, crc32: UInt32(i), micros: 0))
      #expect(join.resolve(Self.record(UInt32(i), length: 1)).map(\.kind) == [.matched])
    }
    #expect(join.finish().isEmpty && join.servedCount == 10_000)
  }
}

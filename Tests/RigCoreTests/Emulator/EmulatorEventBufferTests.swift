// SPDX-License-Identifier: Apache-2.0
@testable import RigCore
import Testing

@Suite("emulator link: the buffer of events received")
struct EmulatorEventBufferTests {
  /// An EVENT payload as the emulator sends it (`docs/emulator-protocol.md` §5).
  static func event(
    _ kind: EmulatorLinkEvent.Kind, sequence: UInt32 = 1, tag: UInt32 = 0, length: UInt32 = 100,
    reported: UInt32? = nil, read: UInt32 = 0, faults: UInt8 = 0, partial: Bool = false,
    lostBefore: Bool = false
  ) -> EmulatorLinkEvent {
    var p: [UInt8] = [kind.rawValue, faults, (partial ? 1 : 0) | (lostBefore ? 2 : 0), 0]
    for field in [sequence, tag, length, reported ?? length, read, 0xC0FFEE] { p.appendLinkField(field) }
    p.appendLinkField(UInt64(sequence) * 10)
    return EmulatorLinkEvent(payload: p, eventNumber: UInt16(sequence))
  }

  /// Every unread event, oldest first.
  static func drain(_ buffer: inout EmulatorEventBuffer) -> [EmulatorEvent] {
    var out: [EmulatorEvent] = []
    while let event = buffer.next() { out.append(event) }
    return out
  }

  @Test("events come out in order, each once")
  func order() {
    var buffer = EmulatorEventBuffer()
    buffer.record(Self.event(.captureStart, sequence: 1))
    buffer.record(Self.event(.captureDone, sequence: 1, tag: 7))
    buffer.record(Self.event(.readDone, sequence: 1, tag: 7, read: 100))
    #expect(Self.drain(&buffer) == [
      .captureStarted(sequence: 1, micros: 10),
      .captureDone(sequence: 1, frameIndex: 7, length: 100, micros: 10),
      .readDone(sequence: 1, frameIndex: 7, bytesRead: 100, crc32: 0xC0FFEE, micros: 10),
    ])
    #expect(Self.drain(&buffer).isEmpty)
  }

  @Test("a faulted capture is reported before its capture, a partial read as abandoned, a gap first")
  func translation() {
    var buffer = EmulatorEventBuffer()
    let gap = buffer.record(Self.event(.captureDone, sequence: 2, tag: 3, reported: 50, lostBefore: true))
    let noGap = buffer.record(Self.event(.readDone, sequence: 2, tag: 3, read: 40, partial: true))
    #expect(gap && !noGap)
    #expect(Self.drain(&buffer) == [
      .eventsLost(micros: 20),
      .frameFaulted(sequence: 2, frameIndex: 3, faults: [], reportedLength: 50, micros: 20),
      .captureDone(sequence: 2, frameIndex: 3, length: 100, micros: 20),
      .readAbandoned(sequence: 2, frameIndex: 3, bytesRead: 40, crc32: 0xC0FFEE, micros: 20),
    ])
  }

  @Test("past its limit the oldest unread events are dropped; reading keeps memory bounded")
  func limit() {
    var buffer = EmulatorEventBuffer(limit: 3)
    for s in 1...5 { buffer.record(Self.event(.captureStart, sequence: UInt32(s))) }
    #expect(Self.drain(&buffer) == (3...5).map { .captureStarted(sequence: UInt32($0), micros: UInt64($0) * 10) })
    var big = EmulatorEventBuffer(limit: 10_000)
    for s in 1...3000 {
      big.record(Self.event(.captureStart, sequence: UInt32(s)))
      if s % 2 == 0 { _ = big.next() }
    }
    #expect(big.unread == 1500)
    let first = big.next()
    #expect(first == .captureStarted(sequence: 1501, micros: 15010))
    big.removeAll()
    #expect(big.unread == 0)
  }
}

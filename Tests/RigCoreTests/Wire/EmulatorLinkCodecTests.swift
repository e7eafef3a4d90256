// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@Suite struct EmulatorLinkCodecTests {
  /// A small deterministic generator, so fuzz runs are repeatable.
  struct Random: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static func decodeAll(_ bytes: [UInt8], maxPayload: Int = 4352) -> [EmulatorLinkMessage] {
    var decoder = EmulatorLinkDecoder(maxPayload: maxPayload)
    decoder.feed(bytes)
    var out: [EmulatorLinkMessage] = []
    while let message = decoder.next() { out.append(message) }
    return out
  }

  @Test("a message is framed with magic, header, payload and a CRC over type to payload")
  func framing() {
    let bytes = EmulatorLinkMessage(.sync, seq: 0x1234, payload: [0xAA, 0xBB]).encoded()
    #expect(Array(bytes.prefix(8)) == [0xE7, 0x5A, 0x0E, 0x00, 0x34, 0x12, 0x02, 0x00])
    #expect(Array(bytes[8..<10]) == [0xAA, 0xBB])
    let crc = CRC32.checksum(bytes[2..<10])
    #expect(Array(bytes.suffix(4)) == [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: crc >> $0) })
  }

  @Test("every request encodes to the payload layout of the specification")
  func requestLayouts() {
    func payload(_ r: EmulatorLinkRequest) -> [UInt8] {
      Self.decodeAll(r.encoded(seq: 1))[0].payload
    }
    #expect(payload(.hello(maxPayload: 256)) == [1, 1, 0x00, 0x01])
    #expect(
      payload(.loadBegin(slot: 0xFF, format: .rgb565be, width: 320, height: 240, length: 153_600,
        crc: 0xDEAD_BEEF, tag: 7))
        == [0xFF, 1, 0x40, 0x01, 0xF0, 0x00, 0x00, 0x58, 0x02, 0x00, 0xEF, 0xBE, 0xAD, 0xDE, 7, 0, 0, 0])
    #expect(payload(.loadData(slot: 3, offset: 0x0102_0304, data: [9, 8][...])) == [3, 4, 3, 2, 1, 9, 8])
    #expect(payload(.loadEnd(slot: 0xFF, queue: true)) == [0xFF, 1])
    #expect(
      payload(.fault(kind: .lengthWrong, mode: .always, parameter: 100, tag: 12))
        == [3, 2, 0, 0, 100, 0, 0, 0, 12, 0, 0, 0])
    #expect(
      payload(.config(.init(format: .gray8, width: 96, height: 96, captureDelayMicros: 1000)))
        == [0, 0x73, 0, 0, 96, 0, 96, 0, 0xE8, 0x03, 0, 0, 0, 0, 0, 0])
    #expect(payload(.queue(slots: [1, 2])) == [2, 1, 2])
    #expect(payload(.mode(.hold)) == [2])
  }

  @Test("device messages classify into replies, failures, events and notices")
  func deviceMessages() {
    let reply = EmulatorLinkDeviceMessage(.init(type: 0x87, seq: 5, payload: [1, 2]))
    #expect(reply == .reply(seq: 5, request: .loadEnd, payload: [1, 2]))
    let error = EmulatorLinkDeviceMessage(
      .init(.error, seq: 9, payload: [5, 0, 0x05] + [0] + Array("no room".utf8)))
    guard case .failure(9, let failure) = error else {
      Issue.record("not a failure: \(error)")
      return
    }
    #expect(failure.code == .noRAM && failure.requestType == 5 && failure.text == "no room")
    #expect(failure.description == "no_ram (no room)")
    var event: [UInt8] = [3, 0b1000_0001, 0x01, 0]
    for v: UInt32 in [4, 11, 9216, 9216, 4608, 0xCAFE_F00D] { event.appendLE(v) }
    event.appendLE(UInt64(123_456))
    guard case .event(let e) = EmulatorLinkDeviceMessage(.init(.event, seq: 2, payload: event))
    else {
      Issue.record("not an event")
      return
    }
    #expect(e.kind == .readDone && e.partial && !e.lostBefore)
    #expect(e.faults == [.corruptByte, .truncate])
    #expect(e.sequence == 4 && e.tag == 11 && e.bytesRead == 4608 && e.crc32 == 0xCAFE_F00D)
    #expect(e.micros == 123_456 && e.eventNumber == 2)
    #expect(EmulatorLinkDeviceMessage(.init(type: 0x05, seq: 1)) == .unexpected(type: 5, seq: 1))
  }

  @Test("short payloads read as zero for the missing fields")
  func shortPayloads() {
    let hello = EmulatorLinkHello(payload: [1, 0, 0x03])
    #expect(hello.version == 1 && hello.supports(.gray8) && hello.supports(.rgb565be))
    #expect(!hello.supports(.jpeg) && hello.ram == 0 && hello.name == "")
    #expect(EmulatorLinkStatus(payload: []).capturesStarted == 0)
  }

  @Test("a message split at every byte position decodes the same")
  func everySplit() {
    let bytes =
      EmulatorLinkRequest.loadData(slot: 1, offset: 0, data: Array(0..<200)[...]).encoded(seq: 3)
      + EmulatorLinkRequest.sync.encoded(seq: 4)
    let whole = Self.decodeAll(bytes)
    #expect(whole.count == 2)
    for split in 0...bytes.count {
      var decoder = EmulatorLinkDecoder(maxPayload: 4352)
      var out: [EmulatorLinkMessage] = []
      decoder.feed(bytes[..<split])
      while let m = decoder.next() { out.append(m) }
      decoder.feed(bytes[split...])
      while let m = decoder.next() { out.append(m) }
      #expect(out == whole, "split at \(split)")
    }
  }

  @Test("garbage, a damaged message and an oversized header are skipped; the next message is found")
  func resynchronises() {
    let good = EmulatorLinkRequest.status.encoded(seq: 1)
    var damaged = EmulatorLinkRequest.sync.encoded(seq: 2)
    damaged[9] ^= 0xFF
    // A header announcing 0xFFFF bytes, with a valid message right behind it.
    let oversized: [UInt8] = [0xE7, 0x5A, 0x01, 0, 0, 0, 0xFF, 0xFF]
    let stream = [0x00, 0xE7, 0x13, 0xE7] + damaged + oversized + good + [0xE7]
    var decoder = EmulatorLinkDecoder(maxPayload: 256)
    decoder.feed(stream)
    let first = decoder.next()
    let second = decoder.next()
    #expect(first == EmulatorLinkMessage(.status, seq: 1))
    #expect(second == nil)
    #expect(decoder.badMessages == 2)
    #expect(decoder.hasPartial)
  }

  @Test("a partial message is dropped once the sender has been quiet for 100 ms")
  func stalePartial() {
    var decoder = EmulatorLinkDecoder()
    let t0 = ContinuousClock.now
    let bytes = EmulatorLinkRequest.status.encoded(seq: 1)
    decoder.feed(bytes.prefix(5), at: t0)
    let partial = decoder.next()
    let early = decoder.discardStale(now: t0 + .milliseconds(50))
    let late = decoder.discardStale(now: t0 + .milliseconds(100))
    decoder.feed(bytes, at: t0 + .milliseconds(101))
    let whole = decoder.next()
    #expect(partial == nil && !early && late)
    #expect(whole == EmulatorLinkMessage(.status, seq: 1))
  }

  @Test("random bytes never crash the decoder, and valid messages among them all come out")
  func fuzz() {
    var random = Random(state: 0x5EED)
    for round in 0..<400 {
      var stream: [UInt8] = []
      var expected: [EmulatorLinkMessage] = []
      for i in 0..<8 {
        let noise = (0..<Int.random(in: 0...300, using: &random)).map { _ in
          // Magic bytes more often than chance, to exercise resynchronisation.
          Bool.random(using: &random) ? UInt8.random(in: 0...255, using: &random) : 0xE7
        }
        stream += noise
        let payload = (0..<Int.random(in: 0...64, using: &random)).map { _ in
          UInt8.random(in: 0...255, using: &random)
        }
        let message = EmulatorLinkMessage(type: 0x8B, seq: UInt16(round * 8 + i), payload: payload)
        expected.append(message)
        stream += message.encoded()
      }
      var decoder = EmulatorLinkDecoder(maxPayload: 64)
      var out: [EmulatorLinkMessage] = []
      var at = 0
      while at < stream.count {
        let n = min(stream.count - at, Int.random(in: 1...97, using: &random))
        decoder.feed(stream[at..<(at + n)])
        at += n
        while let m = decoder.next() { out.append(m) }
      }
      // Noise can forge a message only by matching a CRC-32: every real one must be there, in order.
      let real = out.filter { m in expected.contains(m) }
      #expect(real == expected, "round \(round)")
      #expect(out.count - real.count <= 1, "round \(round): \(out.count - real.count) forged")
    }
  }
}

extension Array where Element == UInt8 {
  mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
    for i in 0..<MemoryLayout<T>.size { append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
  }
}

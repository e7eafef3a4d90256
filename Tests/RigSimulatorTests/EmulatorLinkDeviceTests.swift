// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigEmulatorCore
import Testing

/// The C device side of the emulator link (`emulink.c`), driven from Swift with the host's codec.
@Suite("Emulator link device side")
struct EmulatorLinkDeviceTests {
  @Test("HELLO states the version, capacity, window and payload size; other versions are refused")
  func hello() throws {
    let h = EmulatorLinkHarness(ramSize: 100_000)
    let payload = try #require(h.ok(.hello(maxPayload: 256)))
    let hello = EmulatorLinkHello(payload: payload)
    #expect(hello.version == 1 && hello.window == Int(EMULINK_WINDOW))
    #expect(hello.ram == 100_000 && hello.maxFrame == 100_000)
    #expect(hello.maxPayload == Int(EMULINK_MAX_PAYLOAD))
    #expect(hello.slots == 64 && hello.queueDepth == 64 && hello.supports(.rgb565be))
    var wrong: [UInt8] = []
    EmulatorLinkMessage.append(type: 0x01, seq: 9, parts: [[2, 3, 0, 1][...]], to: &wrong)
    h.feed(wrong)
    h.drain()
    guard case .failure(9, let failure) = h.inbox.removeFirst() else {
      Issue.record("protocol 2-3 was not refused")
      return
    }
    #expect(failure.code == .unsupported)
  }

  @Test("a streamed frame is acknowledged chunk by chunk, queued, and served to the DUT with events")
  func streamAndServe() throws {
    let h = EmulatorLinkHarness()
    #expect(h.ok(.events(on: true)) != nil)
    let frame = testFrame(9216, seed: 3)
    let replies = h.stream(frame, tag: 41)
    #expect(replies.count == 5 && replies.allSatisfy(\.isReply))
    guard case .reply(_, .loadEnd, let end) = try #require(replies.last) else {
      Issue.record("no LOAD_END reply")
      return
    }
    #expect(end[1] == 1, "queue depth 1")
    #expect(try #require(h.dut.stockCapture()) == frame)
    let events = h.takeEvents()
    #expect(events.map(\.kind) == [.captureStart, .captureDone, .readDone])
    #expect(events.map(\.sequence) == [1, 1, 1])
    #expect(events[1].tag == 41 && events[1].length == 9216 && events[1].reportedLength == 9216)
    #expect(events[2].bytesRead == 9216 && events[2].crc32 == CRC32.checksum(frame))
    #expect(!events[2].partial && events[2].faults.isEmpty)
    #expect(events.map(\.eventNumber) == [0, 1, 2])
    let status = EmulatorLinkStatus(payload: try #require(h.ok(.status)))
    #expect(status.framesServed == 1 && status.capturesStarted == 1 && status.bytesRead == 9216)
    #expect(status.eventsSent == 3 && status.queueDepth == 0)
  }

  @Test("bytes that do not match the announced CRC are refused and the slot freed")
  func crcMismatch() throws {
    let h = EmulatorLinkHarness()
    let frame = testFrame(1000)
    var bytes: [UInt8] = []
    EmulatorLinkRequest.loadBegin(
      slot: 0xFF, format: .gray8, width: 0, height: 0, length: 1000, crc: 0x1234_5678, tag: 0
    ).append(seq: 1, to: &bytes)
    EmulatorLinkRequest.loadData(slot: 0xFF, offset: 0, data: frame[...]).append(seq: 2, to: &bytes)
    EmulatorLinkRequest.loadEnd(slot: 0xFF, queue: true).append(seq: 3, to: &bytes)
    h.feed(bytes)
    h.drain()
    guard case .failure(3, let failure) = try #require(h.inbox.last) else {
      Issue.record("LOAD_END was not refused: \(h.inbox)")
      return
    }
    #expect(failure.code == .crcMismatch)
    #expect(arduchip_slots_in_use(h.dut.chip) == 0)
    #expect(arduchip_queue_depth(h.dut.chip) == 0)
  }

  @Test("a fault aimed at one frame's tag waits for that frame and is reported in its events")
  func faultForTag() throws {
    let h = EmulatorLinkHarness()
    _ = h.ok(.events(on: true))
    #expect(h.ok(.fault(kind: .lengthZero, mode: .once, parameter: 0, tag: 2)) != nil)
    for tag: UInt32 in 0..<3 { _ = h.stream(testFrame(500, seed: UInt8(tag)), tag: tag) }
    var lengths: [Int] = []
    for _ in 0..<3 {
      _ = h.dut.stockCapture()
      lengths.append(h.dut.fifoLength())
    }
    #expect(lengths == [500, 500, 0])
    let done = h.takeEvents().filter { $0.kind == .captureDone }
    #expect(done.map(\.reportedLength) == [500, 500, 0])
    #expect(done.map(\.faults) == [[], [], [.lengthZero]])
  }

  @Test("a read the DUT abandons half way is reported as a partial read done")
  func partialRead() throws {
    let h = EmulatorLinkHarness()
    _ = h.ok(.events(on: true))
    let frame = testFrame(2048)
    _ = h.stream(frame, tag: 5)
    _ = h.stream(frame, tag: 6)
    h.dut.writeRegister(0x04, 0x02)
    _ = h.dut.chunkedBurst(total: 1024)
    h.dut.writeRegister(0x04, 0x01)  // clear: the read is abandoned
    let read = h.takeEvents().filter { $0.kind == .readDone }
    #expect(read.count == 1)
    #expect(read.first?.partial == true && read.first?.bytesRead == 1024 && read.first?.tag == 5)
    #expect(read.first?.crc32 == CRC32.checksum(frame.prefix(1024)))
  }

  @Test("malformed requests get an ERROR with a code, and the next request is served")
  func malformed() throws {
    let h = EmulatorLinkHarness()
    var bytes: [UInt8] = []
    EmulatorLinkMessage.append(type: 0x33, seq: 1, parts: [], to: &bytes)  // unknown type
    EmulatorLinkMessage.append(type: 0x05, seq: 2, parts: [[1, 2][...]], to: &bytes)  // short
    let badFault: [UInt8] = [9, 1] + [UInt8](repeating: 0, count: 10)  // fault kind 9
    EmulatorLinkMessage.append(type: 0x0D, seq: 3, parts: [badFault[...]], to: &bytes)
    EmulatorLinkMessage.append(type: 0x85, seq: 4, parts: [], to: &bytes)  // a reply type
    EmulatorLinkRequest.loadData(slot: 0xFF, offset: 0, data: [1][...]).append(seq: 5, to: &bytes)
    EmulatorLinkRequest.free(slot: 200).append(seq: 6, to: &bytes)
    EmulatorLinkRequest.sync.append(seq: 7, to: &bytes)
    h.feed(bytes)
    h.drain()
    let codes = h.inbox.compactMap { message -> EmulatorLinkFailure.Code? in
      if case .failure(_, let f) = message { return f.code }
      return nil
    }
    #expect(codes == [.unknownType, .badLength, .badValue, .unknownType, .state, .badSlot])
    #expect(h.inbox.last?.seq == 7 && h.inbox.last?.isReply == true)
    #expect(h.counters.errors_sent == 6)
  }

  @Test("with its transmit ring full the device stops taking input, and resumes once drained")
  func backPressure() throws {
    let h = EmulatorLinkHarness()
    var bytes: [UInt8] = []
    for seq in 0..<400 { EmulatorLinkRequest.status.append(seq: UInt16(seq), to: &bytes) }
    let taken = h.feed(bytes)
    #expect(taken < bytes.count, "400 STATUS replies (43 KB) cannot fit a 16 KB ring")
    var rest = Array(bytes[taken...])
    var rounds = 0
    while !rest.isEmpty && rounds < 100 {
      h.drain()
      rest = Array(rest[h.feed(rest)...])
      rounds += 1
    }
    emulink_poll(h.link)
    h.drain()
    #expect(rest.isEmpty)
    #expect(h.inbox.count == 400 && h.inbox.allSatisfy(\.isReply))
    #expect(h.inbox.map(\.seq) == (0..<400).map { UInt16($0) })
  }

  @Test("a partial message is discarded after 100 ms of silence, with a NOTICE")
  func stalePartial() throws {
    let h = EmulatorLinkHarness()
    let status = EmulatorLinkRequest.status.encoded(seq: 1)
    h.feed(Array(status.prefix(6)))
    h.dut.clockMicros = 99_999
    emulink_poll(h.link)
    #expect(h.link.pointee.rx_len == 6)
    h.dut.clockMicros = 100_000
    emulink_poll(h.link)
    #expect(h.link.pointee.rx_len == 0)
    h.drain()
    #expect(h.inbox == [.notice(code: 2, text: "discarded a partial message after 100 ms")])
  }

  @Test("a reply without payload (RESET) is one whole message: header and CRC only")
  func emptyReply() {
    // Found by fuzzing under UBSan: an empty reply copied from a null pointer.
    let h = EmulatorLinkHarness()
    h.feed(EmulatorLinkRequest.reset.encoded(seq: 9))
    var bytes: [UInt8] = []
    var data: UnsafePointer<UInt8>?
    while case let n = emulink_tx_peek(h.link, &data), n > 0, let data {
      bytes += UnsafeBufferPointer(start: data, count: n)
      emulink_tx_consume(h.link, n)
    }
    #expect(bytes.count == Int(EMULINK_HEADER_BYTES + EMULINK_CRC_BYTES), "\(bytes)")
    var decoder = EmulatorLinkDecoder()
    decoder.feed(bytes)
    #expect(decoder.next() == EmulatorLinkMessage(type: 0x82, seq: 9))
  }

  @Test("random bytes on the link (fixed seed, many rounds) never crash or wedge the device")
  func fuzz() throws {
    var random = FuzzRandom(seed: 0xF022)
    let h = EmulatorLinkHarness()
    _ = h.ok(.events(on: true))
    var served = 0
    for round in 0..<3000 {
      var bytes: [UInt8] = []
      switch round % 4 {
      case 0:
        // Pure noise, sometimes with the magic to start false messages.
        bytes = (0..<Int.random(in: 1...600, using: &random)).map { _ in
          Bool.random(using: &random) ? UInt8.random(in: 0...255, using: &random) : 0xE7
        }
      case 1:
        // A valid frame of a random type with a random payload: every handler meets nonsense.
        let payload = (0..<Int.random(in: 0...40, using: &random)).map { _ in
          UInt8.random(in: 0...255, using: &random)
        }
        EmulatorLinkMessage.append(
          type: UInt8.random(in: 0...0x10, using: &random), seq: UInt16(round), parts: [payload[...]],
          to: &bytes)
      case 2:
        // A real request with one byte damaged.
        bytes = EmulatorLinkRequest.loadBegin(
          slot: 0xFF, format: .gray8, width: 8, height: 8, length: 64, crc: 0, tag: 1
        ).encoded(seq: UInt16(round))
        bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
      default:
        // The DUT keeps capturing meanwhile, the host setting it up again after the noise (which
        // may have configured anything: delays, modes, faults).
        _ = h.ok(.reset)
        _ = h.ok(.config(.init(format: .gray8, width: 8, height: 8)))
        _ = h.stream(testFrame(64), tag: UInt32(round))
        if h.dut.stockCapture(polls: 4) != nil { served += 1 }
      }
      var offset = 0
      var stuck = 0
      while offset < bytes.count && stuck < 3 {
        let n = h.feed(Array(bytes[offset...]))
        offset += n
        stuck = n == 0 ? stuck + 1 : 0
        h.drain()
        h.inbox.removeAll()
      }
      #expect(offset == bytes.count, "round \(round): the device stopped taking input")
      h.dut.clockMicros += 150_000
      emulink_poll(h.link)
      h.drain()
      h.inbox.removeAll()
    }
    #expect(served == 750, "every capture between the noise got its frame")
    // Still answering afterwards.
    #expect(h.ok(.hello(maxPayload: 256)).map { EmulatorLinkHello(payload: $0).version } == 1)
    #expect(h.counters.rx_bad_messages > 0 && h.counters.errors_sent > 0)
  }
}

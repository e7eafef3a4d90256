// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigEmulatorCore

/// The C link device side around a register model, driven byte for byte from Swift: requests in
/// through `emulink_receive`, replies and events out of the transmit ring through the host's own
/// decoder. The DUT side is `dut` (the stock driver flows of `ArduChipHarness`).
final class EmulatorLinkHarness {
  let dut: ArduChipHarness
  let link: UnsafeMutablePointer<emulink_t>
  private var decoder = EmulatorLinkDecoder(maxPayload: 4352)
  private var nextSeq: UInt16 = 1
  /// Messages decoded so far and not yet taken.
  var inbox: [EmulatorLinkDeviceMessage] = []

  init(ramSize: Int = 64 * 1024, name: String = "test-emulator") {
    dut = ArduChipHarness(ramSize: ramSize)
    link = .allocate(capacity: 1)
    var identity = emulink_identity_t(
      name: nil, variant: UInt8(EMULINK_VARIANT_MINI_2MP), formats: UInt8(EMULINK_FORMATS_ALL),
      max_payload: 0)
    emulink_init(link, dut.chip, &identity, { context in
      Unmanaged<EmulatorLinkHarness>.fromOpaque(context!).takeUnretainedValue().dut.clockMicros
    }, nil, nil)
    link.pointee.context = Unmanaged.passUnretained(self).toOpaque()
  }

  deinit {
    link.deallocate()
  }

  var counters: emulink_counters_t { emulink_counters(link).pointee }

  /// Feeds bytes as USB CDC would deliver them; returns how many the device took.
  @discardableResult
  func feed(_ bytes: [UInt8]) -> Int {
    bytes.withUnsafeBufferPointer { emulink_receive(link, $0.baseAddress, $0.count) }
  }

  /// Moves everything in the transmit ring through the host decoder into `inbox`.
  func drain() {
    while true {
      var data: UnsafePointer<UInt8>?
      let n = emulink_tx_peek(link, &data)
      guard n > 0, let data else { break }
      decoder.feed(UnsafeBufferPointer(start: data, count: n))
      emulink_tx_consume(link, n)
    }
    while let message = decoder.next() { inbox.append(EmulatorLinkDeviceMessage(message)) }
  }

  /// Sends one request and returns its reply or failure (events that came first stay in the
  /// inbox).
  func request(_ request: EmulatorLinkRequest) -> EmulatorLinkDeviceMessage? {
    let seq = nextSeq
    nextSeq &+= 1
    feed(request.encoded(seq: seq))
    drain()
    guard let index = inbox.firstIndex(where: { $0.seq == seq }) else { return nil }
    return inbox.remove(at: index)
  }

  /// The reply payload of a request expected to succeed, nil otherwise.
  func ok(_ request: EmulatorLinkRequest) -> [UInt8]? {
    if case .reply(_, _, let payload) = self.request(request) { return payload }
    return nil
  }

  /// The failure a request is expected to get.
  func failure(_ request: EmulatorLinkRequest) -> EmulatorLinkFailure? {
    if case .failure(_, let failure) = self.request(request) { return failure }
    return nil
  }

  /// Streams a frame through the stream slot in chunks, all requests sent before any reply is
  /// read (as the host pipelines them); the replies, in order.
  func stream(_ frame: [UInt8], tag: UInt32, chunk: Int = 4096) -> [EmulatorLinkDeviceMessage] {
    var bytes: [UInt8] = []
    var seqs: [UInt16] = []
    func add(_ r: EmulatorLinkRequest) {
      seqs.append(nextSeq)
      r.append(seq: nextSeq, to: &bytes)
      nextSeq &+= 1
    }
    add(.loadBegin(
      slot: 0xFF, format: .gray8, width: 96, height: 96, length: UInt32(frame.count),
      crc: CRC32.checksum(frame), tag: tag))
    var offset = 0
    while offset < frame.count {
      let n = min(chunk, frame.count - offset)
      add(.loadData(slot: 0xFF, offset: UInt32(offset), data: frame[offset..<(offset + n)]))
      offset += n
    }
    add(.loadEnd(slot: 0xFF, queue: true))
    feed(bytes)
    drain()
    return seqs.compactMap { seq in
      inbox.firstIndex { $0.seq == seq }.map { inbox.remove(at: $0) }
    }
  }

  /// The events received so far, taken out of the inbox.
  func takeEvents() -> [EmulatorLinkEvent] {
    drain()
    var events: [EmulatorLinkEvent] = []
    inbox.removeAll { message in
      if case .event(let e) = message {
        events.append(e)
        return true
      }
      return false
    }
    return events
  }
}

extension EmulatorLinkDeviceMessage {
  /// The request sequence number a reply or failure answers.
  var seq: UInt16? {
    switch self {
    case .reply(let seq, _, _), .failure(let seq, _): seq
    default: nil
    }
  }

  var isReply: Bool {
    if case .reply = self { return true }
    return false
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Turns a byte stream into MBoot frames, whatever pieces the bytes arrive in.
///
/// Bytes before a 0x5A (line noise, the dummy bytes newer flashloaders send after a power cycle)
/// are skipped and counted. A frame whose CRC does not match is reported as `badCRC`, so the
/// receiver can answer NAK; a 0x5A followed by an unknown type byte is skipped.
public struct MBootFrameDecoder: Sendable {
  /// What the decoder found.
  public enum Event: Sendable, Equatable {
    case frame(MBootFrame)
    /// A complete command, data or ping-response frame whose CRC did not match.
    case badCRC(type: MBootFrame.FrameType, expected: UInt16, received: UInt16)
  }

  private enum State {
    case idle
    case type
    /// Collecting the rest of a frame: `need` bytes in total after 5A and the type byte.
    case body(MBootFrame.FrameType, need: Int)
  }

  private var state = State.idle
  private var buffer: [UInt8] = []
  /// Bytes skipped because they were not part of a frame.
  public private(set) var skipped = 0
  /// Largest payload accepted; a longer declared length is treated as noise.
  public var maxPayload: Int

  /// A decoder accepting payloads up to `maxPayload` bytes.
  public init(maxPayload: Int = MBootFrame.maxPayload) {
    self.maxPayload = maxPayload
  }

  /// Whether a frame has started and is not complete yet.
  public var isMidFrame: Bool {
    if case .idle = state { return false }
    return true
  }

  /// Forgets a partial frame.
  public mutating func reset() {
    state = .idle
    buffer.removeAll(keepingCapacity: true)
  }

  /// Decodes `bytes`, calling `emit` for every frame completed by them.
  public mutating func decode<C: Collection>(_ bytes: C, _ emit: (Event) -> Void) where C.Element == UInt8 {
    for byte in bytes { push(byte, emit) }
  }

  /// Decodes `bytes` and returns what they completed.
  public mutating func decode<C: Collection>(_ bytes: C) -> [Event] where C.Element == UInt8 {
    var events: [Event] = []
    decode(bytes) { events.append($0) }
    return events
  }

  private mutating func push(_ byte: UInt8, _ emit: (Event) -> Void) {
    switch state {
    case .idle:
      if byte == MBootFrame.start {
        state = .type
      } else {
        skipped += 1
      }
    case .type:
      guard let type = MBootFrame.FrameType(rawValue: byte) else {
        // Not a frame after all; the byte may itself start one.
        skipped += 1
        state = byte == MBootFrame.start ? .type : .idle
        if byte != MBootFrame.start { skipped += 1 }
        return
      }
      switch type {
      case .ack: finish(.frame(.ack), emit)
      case .nak: finish(.frame(.nak), emit)
      case .ackAbort: finish(.frame(.ackAbort), emit)
      case .ping: finish(.frame(.ping), emit)
      case .command, .data: begin(type, need: 4)
      case .pingResponse: begin(type, need: 8)
      }
    case .body(let type, var need):
      buffer.append(byte)
      if (type == .command || type == .data) && buffer.count == 2 {
        let length = Int(buffer[0]) | Int(buffer[1]) << 8
        guard length <= maxPayload else {
          skipped += 2 + buffer.count
          reset()
          return
        }
        need = 4 + length
        state = .body(type, need: need)
      }
      if buffer.count == need { complete(type, emit) }
    }
  }

  private mutating func begin(_ type: MBootFrame.FrameType, need: Int) {
    buffer.removeAll(keepingCapacity: true)
    state = .body(type, need: need)
  }

  private mutating func finish(_ event: Event, _ emit: (Event) -> Void) {
    reset()
    emit(event)
  }

  private mutating func complete(_ type: MBootFrame.FrameType, _ emit: (Event) -> Void) {
    if type == .pingResponse {
      let version = readLittleEndian(buffer, at: 0)
      let options = UInt16(buffer[4]) | UInt16(buffer[5]) << 8
      let received = UInt16(buffer[6]) | UInt16(buffer[7]) << 8
      let expected = CRC16.xmodem(buffer[0..<6], seed: CRC16.xmodem([MBootFrame.start, type.rawValue]))
      finish(
        received == expected
          ? .frame(.pingResponse(version: version, options: options))
          : .badCRC(type: type, expected: expected, received: received), emit)
      return
    }
    let received = UInt16(buffer[2]) | UInt16(buffer[3]) << 8
    var crc = CRC16.xmodem([MBootFrame.start, type.rawValue, buffer[0], buffer[1]])
    crc = CRC16.xmodem(buffer[4...], seed: crc)
    guard crc == received else {
      finish(.badCRC(type: type, expected: crc, received: received), emit)
      return
    }
    let payload = Array(buffer[4...])
    finish(.frame(type == .command ? .command(payload) : .data(payload)), emit)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Finds emulator link messages in a byte stream that may hold garbage, damaged or cut messages.
///
/// Bytes before a magic are skipped; a header announcing more than `maxPayload` or a message
/// failing its CRC costs one byte and the search goes on from the next, so a valid message inside
/// a damaged one is still found. Memory is bounded by one message plus what one `feed` brings.
public struct EmulatorLinkDecoder: Sendable {
  /// The largest payload accepted; longer announcements are treated as damage.
  public let maxPayload: Int
  private var buffer: [UInt8] = []
  private var head = 0
  private var lastInput: ContinuousClock.Instant?
  /// Bytes skipped while looking for a message start, or dropped as stale.
  public private(set) var discardedBytes = 0
  /// Messages dropped for a bad CRC or an oversized length.
  public private(set) var badMessages = 0

  /// A decoder accepting payloads up to `maxPayload` bytes.
  public init(maxPayload: Int = EmulatorLink.minimumPayload) {
    self.maxPayload = maxPayload
  }

  /// Bytes received, stamped with their arrival.
  public mutating func feed<C: Collection>(_ bytes: C, at arrival: ContinuousClock.Instant = .now)
  where C.Element == UInt8 {
    guard !bytes.isEmpty else { return }
    if head > 0 && head * 2 >= buffer.count {
      buffer.removeFirst(head)
      head = 0
    }
    buffer.append(contentsOf: bytes)
    lastInput = arrival
  }

  /// Whether bytes of an unfinished message are held.
  public var hasPartial: Bool { head < buffer.count }

  /// The next complete, intact message, or nil when more bytes are needed.
  public mutating func next() -> EmulatorLinkMessage? {
    while head < buffer.count {
      let available = buffer.count - head
      if buffer[head] != EmulatorLink.magic0 {
        let next = buffer[(head + 1)...].firstIndex(of: EmulatorLink.magic0) ?? buffer.count
        discard(next - head)
        continue
      }
      guard available >= 2 else { return nil }
      if buffer[head + 1] != EmulatorLink.magic1 {
        discard(1)
        continue
      }
      guard available >= EmulatorLink.headerBytes else { return nil }
      let length = Int(buffer[head + 6]) | Int(buffer[head + 7]) << 8
      if length > maxPayload {
        badMessages += 1
        discard(1)
        continue
      }
      let total = EmulatorLink.headerBytes + length + EmulatorLink.crcBytes
      guard available >= total else { return nil }
      let crcAt = head + EmulatorLink.headerBytes + length
      let sent =
        UInt32(buffer[crcAt]) | UInt32(buffer[crcAt + 1]) << 8 | UInt32(buffer[crcAt + 2]) << 16
        | UInt32(buffer[crcAt + 3]) << 24
      var crc = CRC32.Running()
      crc.update(buffer[(head + 2)..<crcAt])
      guard crc.value == sent else {
        badMessages += 1
        discard(1)
        continue
      }
      let message = EmulatorLinkMessage(
        type: buffer[head + 2], seq: UInt16(buffer[head + 4]) | UInt16(buffer[head + 5]) << 8,
        payload: Array(buffer[(head + EmulatorLink.headerBytes)..<crcAt]))
      head += total
      return message
    }
    return nil
  }

  /// Drops a partial message that has waited `EmulatorLink.staleAfter` without more bytes (the
  /// sender went quiet mid-message). Call after `next()` returned nil. True if bytes were dropped.
  @discardableResult
  public mutating func discardStale(now: ContinuousClock.Instant = .now) -> Bool {
    guard hasPartial, let lastInput, now - lastInput >= EmulatorLink.staleAfter else { return false }
    discard(buffer.count - head)
    return true
  }

  /// Forgets everything held.
  public mutating func reset() {
    discard(buffer.count - head)
  }

  private mutating func discard(_ n: Int) {
    discardedBytes += n
    head += n
    if head >= buffer.count {
      buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 16)
      head = 0
    }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Byte-exact reads over a `SerialLink` for the flashing protocols: exactly n bytes, or
/// whatever has arrived, each by a deadline. Used by one task.
final class SerialByteReader {
  let link: any SerialLink
  private var buffer: [UInt8] = []
  private var head = 0

  init(link: any SerialLink) {
    self.link = link
  }

  /// Exactly `count` bytes; fewer (possibly none) when the deadline passes first.
  func read(_ count: Int, until deadline: ContinuousClock.Instant) async throws -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(count)
    while out.count < count {
      if head == buffer.count {
        guard try await fill(until: deadline) else { break }
      }
      let n = min(count - out.count, buffer.count - head)
      out += buffer[head..<head + n]
      head += n
    }
    return out
  }

  /// Whatever has arrived (waiting for some until the deadline); empty on timeout.
  func available(until deadline: ContinuousClock.Instant) async throws -> ArraySlice<UInt8> {
    if head == buffer.count {
      guard try await fill(until: deadline) else { return [] }
    }
    let out = buffer[head...]
    head = buffer.count
    return out
  }

  func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
    try await link.write(bytes, deadline: deadline)
  }

  /// Drops everything received and not read.
  func discard() {
    buffer.removeAll(keepingCapacity: true)
    head = 0
    link.discardInput()
  }

  private func fill(until deadline: ContinuousClock.Instant) async throws -> Bool {
    guard let chunk = try await link.read(until: deadline) else { return false }
    if head == buffer.count {
      buffer = chunk.bytes
    } else {
      buffer.removeFirst(head)
      buffer += chunk.bytes
    }
    head = 0
    return !buffer.isEmpty
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Bytes that arrived together, stamped when they arrived.
public struct SerialChunk: Sendable {
  public var bytes: [UInt8]
  /// Host monotonic time of arrival.
  public var arrival: ContinuousClock.Instant
  public init(bytes: [UInt8], arrival: ContinuousClock.Instant = .now) {
    self.bytes = bytes
    self.arrival = arrival
  }
}

/// The DUT's console: a byte stream both ways (a UART through a USB bridge, a pseudo-terminal, the
/// simulated bench's virtual UART). One reader and one writer may use it at once.
public protocol SerialLink: Sendable {
  /// What the link is, for messages: a device path or "simulated console".
  var name: String { get }
  /// Writes all bytes, or throws `timedOut` at the deadline.
  func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws
  /// The next bytes received, or nil when the deadline passes first.
  /// Throws when the link is gone (unplugged, closed).
  func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk?
  /// Drops whatever was received and not yet read.
  func discardInput()
  func close() async
}

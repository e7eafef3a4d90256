// SPDX-License-Identifier: Apache-2.0

/// Limits how fast bytes arrive over a simulated link, as a USB full-speed CDC port or a UART
/// would (a pseudo-terminal alone moves tens of MB/s, far beyond any real emulator link).
///
/// Each chunk taken moves the time the link is free again by exactly its transfer time, so
/// waking late costs nothing: the next chunk is due at once. Bursts after an idle spell are
/// capped at `burst`, as a real link cannot store up idle time.
public struct LinkPacer: Sendable {
  /// The link's rate; 0: no limit.
  public let bytesPerSecond: Double
  /// Bytes taken at a time, at most.
  public let chunk: Int
  private let burst: Duration
  /// When the link is free again; nil before the first byte.
  private var freeAt: ContinuousClock.Instant?

  public init(bytesPerSecond: Double, chunk: Int = 4096) {
    self.bytesPerSecond = bytesPerSecond
    self.chunk = chunk
    burst = bytesPerSecond > 0 ? Self.transferTime(chunk, at: bytesPerSecond) : .zero
  }

  private static func transferTime(_ count: Int, at bytesPerSecond: Double) -> Duration {
    .nanoseconds(Int64((Double(count) * 1e9 / bytesPerSecond).rounded()))
  }

  public var isLimited: Bool { bytesPerSecond > 0 }

  /// How long until the link can carry the next chunk; zero when it can now.
  public func wait(now: ContinuousClock.Instant = .now) -> Duration {
    guard isLimited, let freeAt, freeAt > now else { return .zero }
    return freeAt - now
  }

  /// Accounts for `count` bytes taken off the link at `now`.
  public mutating func took(_ count: Int, now: ContinuousClock.Instant = .now) {
    guard isLimited, count > 0 else { return }
    let start = freeAt.map { max($0, now - burst) } ?? now
    freeAt = start + Self.transferTime(count, at: bytesPerSecond)
  }
}

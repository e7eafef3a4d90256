// SPDX-License-Identifier: Apache-2.0

/// The clock a run reads every deadline from: the host's monotonic clock in a real run, a test
/// clock that jumps to the next deadline in the runner's unit tests.
///
/// Any `Clock` whose instants are `ContinuousClock`'s can stand behind it. Its instants are those
/// because the bench's capabilities (`SerialLink`, `CameraEmulator`) take their deadlines as
/// `ContinuousClock.Instant`: a deadline the runner computes from this clock means the same
/// thing to a real serial port and to a scripted test bench.
public struct HostClock: Clock {
  public typealias Duration = Swift.Duration
  public typealias Instant = ContinuousClock.Instant

  private let readNow: @Sendable () -> Instant
  private let sleepUntil: @Sendable (Instant, Duration?) async throws -> Void
  public let minimumResolution: Duration

  /// A host clock that reads `clock`.
  public init<C: Clock>(_ clock: C) where C.Instant == ContinuousClock.Instant {
    readNow = { clock.now }
    sleepUntil = { deadline, tolerance in try await clock.sleep(until: deadline, tolerance: tolerance) }
    minimumResolution = clock.minimumResolution
  }

  /// The host's monotonic clock (it keeps counting while the machine sleeps).
  public static var continuous: HostClock { HostClock(ContinuousClock()) }

  public var now: Instant { readNow() }

  public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
    try await sleepUntil(deadline, tolerance)
  }

  /// The instant `duration` from now: the deadline of a wait that may take that long.
  public func deadline(after duration: Duration) -> Instant {
    now + duration
  }
}

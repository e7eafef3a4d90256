// SPDX-License-Identifier: Apache-2.0
import RigCore

/// A clock that moves only when told to, for tests of code that waits: a wait on it ends at once,
/// with the clock moved to the wait's end. An hour-long timeout is then a jump, so a test of the
/// watchdog or of the test's timeout takes microseconds and never depends on the machine's load.
///
/// Its instants are `ContinuousClock`'s (starting at the real `now` when it is made), so the
/// deadlines computed from it can be handed to the bench's capabilities as they are. It suits a
/// single task that waits on it (the runner's); the scripted bench moves it as the runner reads.
public final class TestClock: Clock {
  public typealias Duration = Swift.Duration
  public typealias Instant = ContinuousClock.Instant

  /// Where the clock started.
  public let origin: Instant
  private let current: Locked<Instant>

  public init() {
    origin = ContinuousClock.now
    current = Locked(origin)
  }

  public var now: Instant { current.value }
  public var minimumResolution: Duration { .nanoseconds(1) }

  /// Time since the clock started.
  public var elapsed: Duration { now - origin }

  /// Moves the clock forward to `instant` (never back).
  public func advance(to instant: Instant) {
    current.withLock { $0 = max($0, instant) }
  }

  public func advance(by duration: Duration) {
    current.withLock { $0 = $0 + duration }
  }

  /// Ends at once at `deadline`, as a real sleep would after waiting; a cancelled task throws as
  /// `Task.sleep` does.
  public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
    try Task.checkCancellation()
    advance(to: deadline)
  }

  /// The clock as the runner takes it.
  public var host: HostClock { HostClock(self) }
}

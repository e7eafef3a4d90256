// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A value behind a lock, shared by threads and tasks: rig's one lock type.
///
/// Built on `NSLock` (a pthread mutex) rather than `Synchronization.Mutex`: on Linux `Mutex` is a
/// futex that ThreadSanitizer cannot see, so every access it guards is reported as a race and the
/// real races drown in them. A pthread mutex is intercepted by the sanitizer, costs the same
/// uncontended, and, being a class, can be captured by closures as `Mutex` cannot.
public final class Locked<Value>: @unchecked Sendable {
  // @unchecked: `guarded` is only read or written while `lock` is held.
  private let lock = NSLock()
  private var guarded: Value

  public init(_ value: sending Value) {
    guarded = value
  }

  /// Runs `body` with the value, holding the lock; `body` must not block or take another lock.
  public func withLock<Result>(_ body: (inout sending Value) throws -> sending Result) rethrows -> sending Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&guarded)
  }
}

extension Locked where Value: Sendable {
  /// A copy of the value.
  public var value: Value { withLock { $0 } }

  /// Replaces the value.
  public func set(_ newValue: Value) {
    withLock { $0 = newValue }
  }
}

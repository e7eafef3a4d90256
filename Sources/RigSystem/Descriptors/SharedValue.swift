// SPDX-License-Identifier: Apache-2.0
import Synchronization

/// A value behind a lock that closures and threads can share (`Mutex` itself cannot be captured).
public final class SharedValue<Value: Sendable>: Sendable {
  private let mutex: Mutex<Value>

  public init(_ value: Value) {
    mutex = Mutex(value)
  }

  public var value: Value { mutex.withLock { $0 } }

  public func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T {
    mutex.withLock { body(&$0) }
  }

  public func set(_ value: Value) {
    mutex.withLock { $0 = value }
  }
}

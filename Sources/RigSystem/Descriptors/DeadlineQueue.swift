// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Foundation
import RigCore

/// A queue between a producer thread (a device reader, a simulated board) and one async consumer
/// that waits with a deadline.
///
/// Producers call `push` from any thread; it never blocks. The single consumer calls
/// `next(until:)`, which returns the oldest element, or nil once the deadline passes with
/// nothing queued, or nil at once after `finish()` when the queue is empty. A wait cut short by
/// cancellation throws instead: it is not a deadline that passed, and a caller that took it for
/// one would blame the device for silence the user caused (Ctrl-C read as a hang).
public final class DeadlineQueue<Element: Sendable>: Sendable {
  private struct State {
    /// Taken elements are set to nil at once, so a queue that never empties all the way (the
    /// producer always a little ahead) does not hold on to what the consumer already has.
    var items: [Element?] = []
    var head = 0
    var waiter: CheckedContinuation<Void, Never>?
    /// When the current waiter gives up.
    var waiterDeadline: ContinuousClock.Instant?
    var finished = false
    var capacity: Int

    var isEmpty: Bool { head >= items.count }

    mutating func popFirst() -> Element? {
      guard head < items.count else { return nil }
      let element = items[head]
      items[head] = nil
      head += 1
      if head == items.count {
        items.removeAll(keepingCapacity: true)
        head = 0
      } else if head > 1024 && head * 2 > items.count {
        items.removeFirst(head)
        head = 0
      }
      return element
    }
  }

  private let state: Locked<State>
  /// One timer per queue, re-armed for each wait. A sleeping task per wait would cost an
  /// allocation each time, held until its deadline even when the wait ends early; at thousands
  /// of waits a second with deadlines of seconds, that is megabytes held for nothing.
  // Dispatch sources are thread-safe; Swift does not know it.
  private nonisolated(unsafe) let timer: DispatchSourceTimer

  /// - Parameter capacity: elements kept at most; when full, `push` drops the oldest and returns
  ///   false so a runaway producer cannot exhaust memory.
  public init(capacity: Int = 1 << 20) {
    state = Locked(State(capacity: capacity))
    timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "rig.deadline-queue"))
    timer.setEventHandler { [weak self] in self?.timerFired() }
    timer.schedule(deadline: .distantFuture)
    timer.activate()
  }

  deinit {
    timer.cancel()
  }

  /// Appends an element and wakes the consumer. Returns false if the oldest element was dropped.
  @discardableResult
  public func push(_ element: Element) -> Bool {
    let (waiter, kept) = state.withLock { s -> (CheckedContinuation<Void, Never>?, Bool) in
      if s.finished { return (nil, false) }
      var kept = true
      if s.items.count - s.head >= s.capacity {
        _ = s.popFirst()
        kept = false
      }
      s.items.append(element)
      let w = s.waiter
      s.waiter = nil
      s.waiterDeadline = nil
      return (w, kept)
    }
    waiter?.resume()
    return kept
  }

  /// Ends the stream: the consumer drains what is queued, then gets nil at once.
  public func finish() {
    let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
      s.finished = true
      let w = s.waiter
      s.waiter = nil
      s.waiterDeadline = nil
      return w
    }
    waiter?.resume()
  }

  /// Whether `finish()` has been called.
  public var isFinished: Bool { state.withLock { $0.finished } }

  /// Removes everything queued.
  public func removeAll() {
    state.withLock { s in
      s.items.removeAll(keepingCapacity: true)
      s.head = 0
    }
  }

  /// The element at the head of the queue, waiting until `deadline` at most.
  /// - Throws: `CancellationError` when the calling task is cancelled with nothing queued.
  public func next(until deadline: ContinuousClock.Instant) async throws(CancellationError) -> Element? {
    while true {
      if let element = state.withLock({ $0.popFirst() }) { return element }
      if state.withLock({ $0.finished }) { return nil }
      if Task.isCancelled { throw CancellationError() }
      if ContinuousClock.now >= deadline { return nil }
      await waitForPush(until: deadline)
    }
  }

  /// The element at the head of the queue if there is one, without waiting.
  public func poll() -> Element? {
    state.withLock { $0.popFirst() }
  }

  /// Suspends until a push, `finish()`, the deadline or cancellation, whichever comes first.
  private func waitForPush(until deadline: ContinuousClock.Instant) async {
    await withTaskCancellationHandler {
      await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
        let resumeNow = state.withLock { s -> Bool in
          if !s.isEmpty || s.finished || Task.isCancelled || ContinuousClock.now >= deadline { return true }
          s.waiter?.resume()
          s.waiter = c
          s.waiterDeadline = deadline
          // Armed under the lock, so the timer always matches the waiter that is stored.
          arm(for: deadline)
          return false
        }
        if resumeNow { c.resume() }
      }
    } onCancel: {
      let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
        let w = s.waiter
        s.waiter = nil
        s.waiterDeadline = nil
        return w
      }
      waiter?.resume()
    }
  }

  private func arm(for deadline: ContinuousClock.Instant) {
    let (seconds, attoseconds) = ContinuousClock.now.duration(to: deadline).components
    let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
    timer.schedule(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)))
  }

  /// Wakes the waiter if its deadline has passed; a waiter whose deadline is still ahead (the
  /// timer fired for an earlier wait) gets the timer re-armed for it.
  private func timerFired() {
    let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
      guard let deadline = s.waiterDeadline else { return nil }
      guard ContinuousClock.now >= deadline else {
        arm(for: deadline)
        return nil
      }
      let w = s.waiter
      s.waiter = nil
      s.waiterDeadline = nil
      return w
    }
    waiter?.resume()
  }
}

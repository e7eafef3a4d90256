// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// What a `DescriptorReader` thread does with each turn: runs on that thread only, so it may keep
/// mutable state (buffers, counters) of its own without locks.
public protocol DescriptorHandler: Sendable {
  /// Handles what woke the thread and says what to wait for next.
  mutating func handle(_ event: DescriptorReader.Event, fd: Int32) -> DescriptorReader.Next
}

/// The one thread in rig that blocks on a descriptor: it sleeps in `poll(2)` on the descriptor
/// and a wake-up pipe, and hands each readiness to a handler the moment the kernel reports it,
/// so there is no polling interval anywhere. Serial ports, GPIO edge events, the simulated board's
/// pseudo-terminals and the keyboard are all read through it.
///
/// One policy for everyone: `poll` interrupted by a signal (EINTR) is simply restarted; a hang-up
/// is either reported to the handler or, for a pseudo-terminal whose other side may reopen, waited
/// out in `backOff` steps; `stop()` runs once, wakes the thread through the pipe and returns only
/// after the thread has ended, so the owner may close the descriptor right after. A writer may
/// wait for the descriptor to take bytes (`writable(until:)`) without blocking its task: the same
/// thread watches for POLLOUT while someone waits.
public final class DescriptorReader: Sendable {
  /// What `poll` reported for the descriptor.
  public struct Readiness: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let readable = Readiness(rawValue: 1)
    public static let writable = Readiness(rawValue: 2)
    /// The other side hung up (POLLHUP) or the device reported an error (POLLERR).
    public static let hangUp = Readiness(rawValue: 4)
    /// The descriptor is not open (POLLNVAL): its owner closed it under the reader.
    public static let invalid = Readiness(rawValue: 8)
  }

  /// What to wait for next: readiness (`.readable`, `.writable`, both or neither), and a turn
  /// with `.timedOut` after `timeout` when nothing else came first.
  public struct Interest: Sendable, Equatable {
    public var events: Readiness
    public var timeout: Duration?
    public init(_ events: Readiness, timeout: Duration? = nil) {
      self.events = events
      self.timeout = timeout
    }
    public static let readable = Interest(.readable)
  }

  /// Why the handler runs.
  public enum Event: Sendable, Equatable {
    /// Once, before the first wait.
    case started
    /// The descriptor is ready; `.hangUp` and `.invalid` come whatever the interest was.
    case ready(Readiness)
    /// `wake()` was called.
    case woken
    /// The interest's timeout passed.
    case timedOut
    /// `poll` itself failed (not EINTR); the thread ends after this turn.
    case failed(SystemError)
  }

  /// What the handler wants next.
  public enum Next: Sendable, Equatable {
    case wait(Interest)
    /// Pause for `backOff` (a descriptor that keeps saying "ready" with nothing to read, a
    /// pseudo-terminal nobody has open), then wait as asked. `stop()` still ends the pause at once.
    case pause(then: Interest)
    case stop
  }

  /// What a hang-up of the descriptor means.
  public enum HangUpPolicy: Sendable {
    /// It is reported to the handler (a serial port that disappeared).
    case report
    /// It is waited out in `backOff` steps until the other side opens again (the controller side
    /// of a pseudo-terminal while no program has the device side open).
    case waitForPeer
  }

  /// How long a pause lasts.
  public static let backOff: Duration = .milliseconds(5)

  public let name: String
  private let shared: Shared

  /// Starts a thread named `name` that watches `fd` for `handler`. The descriptor stays the
  /// caller's: it must stay open until `stop()` has returned.
  public init(
    fd: Int32, name: String, hangUp: HangUpPolicy = .report, handler: some DescriptorHandler
  ) throws {
    self.name = name
    let shared = try Shared(fd: fd, name: name, hangUp: hangUp)
    self.shared = shared
    let thread = Thread {
      var handler = handler
      shared.run(&handler)
    }
    thread.name = name
    thread.start()
  }

  deinit {
    stop()
  }

  /// Gives the handler a `.woken` turn soon (several calls before it runs give one turn).
  public func wake() {
    shared.wake()
  }

  /// Waits until the descriptor can take bytes, the deadline passes (false), the reader stops
  /// (false) or the task is cancelled (false). For one writer at a time.
  public func writable(until deadline: ContinuousClock.Instant) async -> Bool {
    await shared.writable(until: deadline)
  }

  /// Ends the thread and returns once it has ended: the handler does not run afterwards. Safe to
  /// call more than once, from any thread, the reader's own included (it then does not wait).
  public func stop() {
    shared.stop()
  }

  /// Whether the thread has ended (stopped, or the handler returned `.stop`).
  public var hasEnded: Bool { shared.hasEnded }
}

extension DescriptorReader {
  /// The part the thread and the callers share: the wake-up pipe and a little state behind a lock.
  final class Shared: Sendable {
    private struct State {
      var stopping = false
      var ended = false
      var wakePending = false
      var thread: pthread_t?
      var writer: (continuation: CheckedContinuation<Bool, Never>, deadline: ContinuousClock.Instant)?
    }

    let fd: Int32
    let name: String
    let hangUp: HangUpPolicy
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let state = Locked(State())
    private let ended = DispatchSemaphore(value: 0)

    init(fd: Int32, name: String, hangUp: HangUpPolicy) throws {
      self.fd = fd
      self.name = name
      self.hangUp = hangUp
      var ends: [Int32] = [-1, -1]
      guard pipe(&ends) == 0 else {
        throw RigError(
          .hardwareFault, "\(name): cannot create a wake-up pipe", cause: SystemError.last("pipe"))
      }
      for end in ends {
        _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
      }
      wakeRead = ends[0]
      wakeWrite = ends[1]
    }

    deinit {
      close(wakeRead)
      close(wakeWrite)
    }

    var hasEnded: Bool { state.withLock { $0.ended } }

    func wake() {
      let first = state.withLock { s -> Bool in
        defer { s.wakePending = true }
        return !s.wakePending && !s.stopping
      }
      if first { nudge() }
    }

    func stop() {
      let (first, onReaderThread) = state.withLock { s -> (Bool, Bool) in
        defer { s.stopping = true }
        let mine = s.thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
        return (!s.stopping, mine)
      }
      guard first else { return }
      nudge()
      if !onReaderThread { ended.wait() }
    }

    func writable(until deadline: ContinuousClock.Instant) async -> Bool {
      await withTaskCancellationHandler {
        await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
          let refused = state.withLock { s -> Bool in
            if s.stopping || s.ended || Task.isCancelled { return true }
            s.writer?.continuation.resume(returning: false)
            s.writer = (c, deadline)
            return false
          }
          if refused { c.resume(returning: false) } else { nudge() }
        }
      } onCancel: {
        resumeWriter(false)
      }
    }

    private func resumeWriter(_ value: Bool) {
      let writer = state.withLock { s -> CheckedContinuation<Bool, Never>? in
        defer { s.writer = nil }
        return s.writer?.continuation
      }
      writer?.resume(returning: value)
    }

    private func nudge() {
      var one: UInt8 = 1
      _ = Glibc.write(wakeWrite, &one, 1)
    }

    private func drainWakePipe() {
      var scratch = [UInt8](repeating: 0, count: 64)
      while scratch.withUnsafeMutableBytes({ Glibc.read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// The thread's body.
    func run(_ handler: inout some DescriptorHandler) {
      state.withLock { $0.thread = pthread_self() }
      defer {
        state.withLock { $0.ended = true }
        resumeWriter(false)
        ended.signal()
      }
      var next = handler.handle(.started, fd: fd)
      while true {
        let interest: Interest
        switch next {
        case .stop: return
        case .wait(let wanted): interest = wanted
        case .pause(let wanted):
          interest = wanted
          if pause() == .stopping { return }
        }
        // The timeout counts from when the handler asked, however often poll wakes for others.
        let due = interest.timeout.map { ContinuousClock.now + $0 }
        var outcome = Outcome.quiet
        while case .quiet = outcome {
          outcome = waitOnce(for: interest.events, due: due)
        }
        guard case .turn(let event) = outcome else { return }
        next = handler.handle(event, fd: fd)
        if case .failed = event { return }
      }
    }

    private enum Outcome: Equatable {
      case stopping
      case turn(Event)
      /// Nothing for the handler (a writer was served, a hang-up waited out): poll again.
      case quiet
    }

    /// Sleeps on the wake pipe alone for `backOff`.
    private func pause() -> Outcome {
      var wakeOnly = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
      _ = poll(&wakeOnly, 1, Self.milliseconds(DescriptorReader.backOff))
      return state.withLock({ $0.stopping }) ? .stopping : .quiet
    }

    /// One `poll`: what the handler asked for, plus POLLOUT while a writer waits.
    private func waitOnce(for wanted: Readiness, due: ContinuousClock.Instant?) -> Outcome {
      let writerDeadline = state.withLock { $0.writer?.deadline }
      var events: Int32 = 0
      if wanted.contains(.readable) { events |= POLLIN }
      if wanted.contains(.writable) || writerDeadline != nil { events |= POLLOUT }
      var until = due
      if let writerDeadline { until = min(until ?? writerDeadline, writerDeadline) }
      var fds = [
        pollfd(fd: fd, events: Int16(events), revents: 0),
        pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
      ]
      let milliseconds = until.map { Self.milliseconds(ContinuousClock.now.duration(to: $0)) } ?? -1
      if poll(&fds, 2, milliseconds) < 0 {
        if errno == EINTR { return .quiet }
        return .turn(.failed(SystemError.last("poll", name)))
      }
      if fds[1].revents != 0 {
        drainWakePipe()
        let (stopping, woken) = state.withLock { s -> (Bool, Bool) in
          defer { s.wakePending = false }
          return (s.stopping, s.wakePending)
        }
        if stopping { return .stopping }
        if woken { return .turn(.woken) }
      }
      let revents = fds[0].revents
      let now = ContinuousClock.now
      if writerDeadline != nil {
        if revents & Int16(POLLOUT | POLLERR | POLLHUP | POLLNVAL) != 0 {
          resumeWriter(true)
        } else if let writerDeadline, now >= writerDeadline {
          resumeWriter(false)
        }
      }
      var readiness = Self.readiness(revents, asked: wanted)
      if hangUp == .waitForPeer && readiness.contains(.hangUp) {
        // Nobody has the other side open: wait for somebody rather than spin.
        readiness.remove(.hangUp)
        if readiness.isEmpty { return pause() }
      }
      if !readiness.isEmpty { return .turn(.ready(readiness)) }
      if let due, now >= due { return .turn(.timedOut) }
      return .quiet
    }

    /// What the handler is told: what it asked for, and hang-ups and closed descriptors always.
    private static func readiness(_ revents: Int16, asked: Readiness) -> Readiness {
      var readiness: Readiness = []
      if revents & Int16(POLLIN) != 0 && asked.contains(.readable) { readiness.insert(.readable) }
      if revents & Int16(POLLOUT) != 0 && asked.contains(.writable) { readiness.insert(.writable) }
      if revents & Int16(POLLHUP | POLLERR) != 0 { readiness.insert(.hangUp) }
      if revents & Int16(POLLNVAL) != 0 { readiness.insert(.invalid) }
      return readiness
    }

    /// `duration` in whole milliseconds for `poll`, rounded up so a wait never ends early.
    static func milliseconds(_ duration: Duration) -> Int32 {
      let (seconds, attoseconds) = duration.components
      guard seconds >= 0, attoseconds >= 0 || seconds > 0 else { return 0 }
      let total = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
      return Int32(clamping: max(0, total))
    }
  }
}

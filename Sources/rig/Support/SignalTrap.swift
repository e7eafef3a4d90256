// SPDX-License-Identifier: Apache-2.0
import Foundation
import Synchronization

/// Turns the signals that would end rig (SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM) into
/// cancellation of the running work, so the runner puts the bench in a safe state and still
/// writes its reports; the command then exits 128 + the signal's number. A second signal exits
/// at once.
///
/// One handler serves the whole program: it only writes the signal's number to a pipe (about all
/// a signal handler may safely do), and a thread of rig's reads it and cancels the work.
///
/// Standard output or error going away (`rig run | head`, a closed SSH session) is not a signal
/// to stop: the kernel's SIGPIPE for rig's own write is ignored, the write fails with EPIPE, and
/// the run goes on to write its report files. Only a SIGPIPE another process sends stops the work.
final class SignalTrap: Sendable {
  /// The signals caught, with the names reports use.
  static let caught: [(number: Int32, name: String)] = [
    (SIGHUP, "SIGHUP"), (SIGINT, "SIGINT"), (SIGQUIT, "SIGQUIT"), (SIGPIPE, "SIGPIPE"),
    (SIGTERM, "SIGTERM"),
  ]

  private let received = Mutex<String?>(nil)
  /// What the first signal leads to, told on standard error.
  private let notice: String

  init(notice: String = "switching the bench off and writing reports") {
    self.notice = notice
  }

  /// The first signal received: "SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT" or "SIGPIPE".
  var reason: String? { received.withLock { $0 } }

  /// For the whole program, from its start: a write to a closed pipe or socket fails with EPIPE
  /// instead of killing rig.
  static func ignoreBrokenPipes() {
    signal(SIGPIPE, SIG_IGN)
  }

  /// Runs `work`, cancelling it on the first of the caught signals.
  func run<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> T {
    let task = Task { await work() }
    SignalRelay.shared.attach { [self] number in
      receive(number, cancel: { task.cancel() })
    }
    let value = await task.value
    SignalRelay.shared.detach()
    return value
  }

  private func receive(_ number: Int32, cancel: () -> Void) {
    let name = Self.caught.first { $0.number == number }?.name ?? "signal \(number)"
    let first = received.withLock { r -> Bool in
      guard r == nil else { return false }
      r = name
      return true
    }
    if first {
      Terminal.error("\n\(name): stopping; \(notice) (again to quit at once)")
      cancel()
    } else {
      Foundation.exit(128 + number)
    }
  }
}

/// The write end of the relay's pipe, for the signal handler. Set once, before any handler is
/// installed, and never changed.
private nonisolated(unsafe) var relayWriteEnd: Int32 = -1

/// The handler of every caught signal: the signal's number into the relay's pipe.
private func relaySignal(
  _ number: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?
) {
  // The kernel raises SIGPIPE in the thread whose write found no reader, with rig's own pid as
  // the sender (0 if it could not queue the details); that write returns EPIPE, which is enough.
  if number == SIGPIPE, let info {
    let sender = info.pointee._sifields._kill.si_pid
    if sender == getpid() || sender == 0 { return }
  }
  let saved = errno
  var byte = UInt8(truncatingIfNeeded: number)
  _ = write(relayWriteEnd, &byte, 1)
  errno = saved
}

/// Carries signals from the handler to whoever listens, on a thread of its own.
private final class SignalRelay: Sendable {
  static let shared = SignalRelay()

  private let listener = Mutex<(@Sendable (Int32) -> Void)?>(nil)

  private init() {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else {
      Terminal.error("warning: cannot create the signal pipe: \(String(cString: strerror(errno)))")
      return
    }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    relayWriteEnd = ends[1]
    let readEnd = ends[0]
    let thread = Thread { [self] in
      var byte: UInt8 = 0
      while true {
        let n = read(readEnd, &byte, 1)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        listener.withLock { $0 }?(Int32(byte))
      }
    }
    thread.name = "rig signals"
    thread.start()
  }

  /// Sends every caught signal to `handle` until `detach()`.
  func attach(_ handle: @escaping @Sendable (Int32) -> Void) {
    listener.withLock { $0 = handle }
    guard relayWriteEnd >= 0 else { return }
    for (number, _) in SignalTrap.caught {
      var action = sigaction()
      action.__sigaction_handler.sa_sigaction = relaySignal
      action.sa_flags = SA_SIGINFO | SA_RESTART
      sigemptyset(&action.sa_mask)
      sigaction(number, &action, nil)
    }
  }

  /// Back to the defaults: each signal ends rig at once again, except SIGPIPE, still ignored.
  func detach() {
    for (number, _) in SignalTrap.caught {
      signal(number, number == SIGPIPE ? SIG_IGN : SIG_DFL)
    }
    listener.withLock { $0 = nil }
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// The one handler of the signals that would end rig (SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM),
/// for the whole program.
///
/// The handler only writes the signal's number into a pipe (about all a signal handler may
/// safely do); a `DescriptorReader` thread reads the pipe and hands each number to whoever
/// listens: `SignalTrap` cancelling a run, `rig console` ending its session.
///
/// A SIGPIPE the kernel raises for rig's own write to a closed pipe or socket is dropped: that
/// write fails with EPIPE, which is enough, and a run whose standard output went away (`rig run |
/// head`, a closed SSH session) goes on to write its reports. Only a SIGPIPE another process sends
/// reaches the listener.
public final class SignalRelay: Sendable {
  /// The signals caught, with the names reports use.
  public static let caught: [(number: Int32, name: String)] = [
    (SIGHUP, "SIGHUP"), (SIGINT, "SIGINT"), (SIGQUIT, "SIGQUIT"), (SIGPIPE, "SIGPIPE"),
    (SIGTERM, "SIGTERM"),
  ]

  /// The relay of this program.
  public static let shared = SignalRelay()

  /// "SIGINT" for SIGINT.
  public static func name(of number: Int32) -> String {
    caught.first { $0.number == number }?.name ?? "signal \(number)"
  }

  /// For the whole program, from its start: a write to a closed pipe or socket fails with EPIPE
  /// instead of killing rig.
  public static func ignoreBrokenPipes() {
    signal(SIGPIPE, SIG_IGN)
  }

  private let listener = Locked<(@Sendable (Int32) -> Void)?>(nil)
  private let reader: DescriptorReader?

  private init() {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else {
      FileHandle.standardError.write(
        Data("warning: cannot create the signal pipe: \(SystemError.last("pipe").reason)\n".utf8))
      reader = nil
      return
    }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    relayWriteEnd = ends[1]
    let listener = self.listener
    reader = try? DescriptorReader(
      fd: ends[0], name: "rig signals",
      handler: ReadingHandler(
        bufferSize: 16, endOfFile: .ends,
        onBytes: { chunk in
          for byte in chunk.bytes { listener.value?(Int32(byte)) }
        }, onEnd: { _ in }))
  }

  /// Sends every caught signal to `handle`, on the relay's thread, until `detach()`.
  public func attach(_ handle: @escaping @Sendable (Int32) -> Void) {
    listener.set(handle)
    guard reader != nil else { return }
    for (number, _) in Self.caught {
      var action = sigaction()
      action.__sigaction_handler.sa_sigaction = relaySignal
      action.sa_flags = SA_SIGINFO | SA_RESTART
      sigemptyset(&action.sa_mask)
      sigaction(number, &action, nil)
    }
  }

  /// Back to the defaults: each signal ends rig at once again, except SIGPIPE, still ignored.
  public func detach() {
    for (number, _) in Self.caught {
      signal(number, number == SIGPIPE ? SIG_IGN : SIG_DFL)
    }
    listener.set(nil)
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

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

/// Turns the signals that would end rig (SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM) into
/// cancellation of the running work, so the runner puts the bench in a safe state and still
/// writes its reports; the command then exits 128 + the signal's number. A second signal exits
/// at once.
///
/// The signals come through RigSystem's `SignalRelay`, the one handler of the whole program (see
/// there for SIGPIPE: standard output going away does not stop a run).
final class SignalTrap: Sendable {
  private let received = Locked<String?>(nil)
  /// What the first signal leads to, told on standard error.
  private let notice: String

  init(notice: String = "switching the bench off and writing reports") {
    self.notice = notice
  }

  /// The first signal received: "SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT" or "SIGPIPE".
  var reason: String? { received.withLock { $0 } }

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
    let name = SignalRelay.name(of: number)
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

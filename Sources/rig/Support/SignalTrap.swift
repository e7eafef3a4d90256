// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into cancellation of the running work, so the runner can put the bench
/// in a safe state and still write its reports. A second signal exits at once.
final class SignalTrap: Sendable {
  private let received = Mutex<String?>(nil)
  /// What the first signal leads to, told on standard error.
  private let notice: String

  init(notice: String = "switching the bench off and writing reports") {
    self.notice = notice
  }

  /// The first signal received, "SIGINT" or "SIGTERM".
  var reason: String? { received.withLock { $0 } }

  /// Runs `work`, cancelling it on the first SIGINT/SIGTERM.
  func run<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> T {
    let task = Task { await work() }
    let sources = install { task.cancel() }
    let value = await task.value
    uninstall(sources)
    return value
  }

  private func install(onFirst cancel: @escaping @Sendable () -> Void) -> [DispatchSourceSignal] {
    var sources: [DispatchSourceSignal] = []
    for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [self] in
        let first = received.withLock { r -> Bool in
          if r == nil {
            r = name
            return true
          }
          return false
        }
        if first {
          FileHandle.standardError.write(
            Data("\n\(name): stopping; \(notice) (again to quit at once)\n".utf8))
          cancel()
        } else {
          Foundation.exit(name == "SIGTERM" ? 143 : 130)
        }
      }
      source.resume()
      sources.append(source)
    }
    return sources
  }

  private func uninstall(_ sources: [DispatchSourceSignal]) {
    for source in sources { source.cancel() }
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }
}

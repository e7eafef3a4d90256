// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A thread of its own that sleeps in `poll(2)` on one descriptor and runs `onReadable` each time
/// the descriptor can be read, so events are taken the moment the kernel queues them, with no
/// polling interval. `stop()` wakes the thread through a pipe and waits until it has ended.
final class DescriptorWatcher: Sendable {
  /// What `onReadable` tells the watcher.
  enum Next: Sendable {
    case keepWatching
    case stop
  }

  private let wake: (read: Int32, write: Int32)
  private let ended = DispatchSemaphore(value: 0)
  private let stopped = Mutex(false)

  /// Starts watching `fd`. `onReadable` runs on the watcher's thread only; `onHangUp` runs there
  /// once if the descriptor reports an error or hang-up, after which the thread ends.
  init(
    fd: Int32, name: String, onReadable: @escaping @Sendable () -> Next,
    onHangUp: @escaping @Sendable (String) -> Void
  ) throws {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else {
      throw RigError(
        .hardwareFault, "\(name): cannot create a wake-up pipe: \(String(cString: strerror(errno)))"
      )
    }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    wake = (ends[0], ends[1])
    let wakeFD = ends[0]
    let done = ended
    let thread = Thread {
      defer { done.signal() }
      Self.watch(fd: fd, wake: wakeFD, onReadable: onReadable, onHangUp: onHangUp)
    }
    thread.name = name
    thread.start()
  }

  deinit {
    stop()
    close(wake.read)
    close(wake.write)
  }

  /// Ends the thread and returns once it has ended; `onReadable` is not running afterwards.
  /// Safe to call more than once.
  func stop() {
    let first = stopped.withLock { stopped in
      defer { stopped = true }
      return !stopped
    }
    guard first else { return }
    var byte: UInt8 = 1
    _ = write(wake.write, &byte, 1)
    ended.wait()
  }

  private static func watch(
    fd: Int32, wake: Int32, onReadable: () -> Next, onHangUp: (String) -> Void
  ) {
    var fds = [
      pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
      pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
    ]
    while true {
      let ready = poll(&fds, 2, -1)
      if ready < 0 {
        if errno == EINTR { continue }
        onHangUp("poll failed: \(String(cString: strerror(errno)))")
        return
      }
      if fds[1].revents != 0 { return }
      let events = fds[0].revents
      if events & Int16(POLLIN) != 0 {
        if onReadable() == .stop { return }
        continue
      }
      if events & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 {
        onHangUp(
          events & Int16(POLLNVAL) != 0 ? "the descriptor was closed" : "the device went away")
        return
      }
    }
  }
}

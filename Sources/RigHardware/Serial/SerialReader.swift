// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The thread behind a serial link's reads: it blocks in `poll(2)` on the port's descriptor and
/// stamps each chunk the moment the read returns it, so arrival times carry no polling quantum.
///
/// A port that hangs up, reports an error or fails a read (USB unplug: EIO, POLLHUP, POLLERR)
/// ends the stream with an error naming the port; reads drain what arrived before it. `stop()`
/// wakes the thread through a pipe and waits for it, so the descriptor can be closed after.
final class SerialReader: @unchecked Sendable {
  // @unchecked: `fd`, `wake` and `readOnce` are fixed after init; the thread only reads them,
  // and `stop()` closes the pipe once, after the thread has ended.

  /// Reads into the buffer without blocking: bytes read, 0 for nothing, or -1 with errno set.
  typealias ReadOnce = (UnsafeMutableRawBufferPointer) -> Int

  let portName: String
  private let fd: Int32
  private let wake: (read: Int32, write: Int32)
  private let readOnce: ReadOnce
  private let chunks = DeadlineQueue<SerialChunk>(capacity: 1 << 16)
  private let failure = Mutex<RigError?>(nil)
  private let stopped = DispatchSemaphore(value: 0)
  private let stopping = Mutex(false)

  /// Starts reading `fd`; `portName` is what errors call the port.
  init(portName: String, fd: Int32, readOnce: @escaping ReadOnce) throws {
    self.portName = portName
    self.fd = fd
    self.readOnce = readOnce
    var pipeFDs: [Int32] = [0, 0]
    guard pipe(&pipeFDs) == 0 else {
      throw RigError(
        .hardwareFault,
        "cannot create a wake-up pipe for \(portName): \(String(cString: strerror(errno)))")
    }
    for end in pipeFDs { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    wake = (pipeFDs[0], pipeFDs[1])
    let thread = Thread { [self] in
      readLoop()
      stopped.signal()
    }
    thread.name = "rig serial \(portName)"
    thread.start()
  }

  /// The next chunk, nil at the deadline; throws once the port is gone and everything that
  /// arrived before has been read.
  func next(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
    if let chunk = try await chunks.next(until: deadline) { return chunk }
    if let error = failure.withLock({ $0 }) { throw error }
    return nil
  }

  /// The error that ended the stream, if it ended.
  var error: RigError? { failure.withLock { $0 } }

  /// Drops what was queued and not read.
  func discard() {
    chunks.removeAll()
  }

  /// Stops the thread and waits for it; safe to call more than once.
  func stop() {
    let first = stopping.withLock { s -> Bool in
      defer { s = true }
      return !s
    }
    guard first else { return }
    var one: UInt8 = 1
    _ = Glibc.write(wake.write, &one, 1)
    stopped.wait()
    Glibc.close(wake.read)
    Glibc.close(wake.write)
    chunks.finish()
  }

  deinit {
    stop()
  }

  private func readLoop() {
    var buffer = [UInt8](repeating: 0, count: 4096)
    var fds = [
      pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
      pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
    ]
    let hangUp = Int16(POLLHUP | POLLERR)
    var emptyReads = 0
    while true {
      let ready = poll(&fds, 2, -1)
      if ready < 0 {
        if errno == EINTR { continue }
        fail("poll failed: \(String(cString: strerror(errno)))")
        return
      }
      if fds[1].revents != 0 { return }
      let events = fds[0].revents
      if events & Int16(POLLNVAL) != 0 {
        fail("the port's descriptor was closed")
        return
      }
      guard events & (Int16(POLLIN) | hangUp) != 0 else { continue }
      let n = buffer.withUnsafeMutableBytes { readOnce($0) }
      let arrival = ContinuousClock.now
      if n > 0 {
        emptyReads = 0
        chunks.push(SerialChunk(bytes: Array(buffer[0..<n]), arrival: arrival))
        continue
      }
      let code = errno
      if n < 0 && code != EAGAIN && code != EINTR {
        fail(
          code == EIO || code == ENODEV || code == ENXIO
            ? "it disappeared (read: \(String(cString: strerror(code))))"
            : "read failed: \(String(cString: strerror(code)))")
        return
      }
      if events & hangUp != 0 {
        fail("it disappeared (the device hung up)")
        return
      }
      // Readable with nothing to read: a port in non-blocking raw mode may say so once; if it
      // keeps saying so, pause a little rather than spin.
      emptyReads += 1
      if emptyReads > 3 {
        var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
        nanosleep(&pause, nil)
      }
    }
  }

  private func fail(_ why: String) {
    failure.withLock {
      $0 = RigError(
        .hardwareFault,
        "serial port \(portName): \(why) (unplugged, or the board reset its USB? `rig devices` "
          + "lists the ports present)")
    }
    chunks.finish()
  }
}

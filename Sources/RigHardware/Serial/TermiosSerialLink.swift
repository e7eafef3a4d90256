// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A serial link over a tty opened with plain POSIX calls and termios: pseudo-terminals (the
/// simulated bench, socat, ser2net) and any UART libserialport cannot open.
///
/// A reader thread owned by the link blocks in `poll(2)` on the descriptor and stamps each chunk
/// the moment `read(2)` returns it, so arrival times carry no polling quantum. `close()` wakes
/// the thread through a pipe.
public final class TermiosSerialLink: SerialLink, @unchecked Sendable {
  // @unchecked: `fd` and `wake` are fixed after init; the reader thread only reads them, and
  // `close()` tears them down once after the thread has been told to stop and has stopped.
  public let name: String
  private let fd: Int32
  private let wake: (read: Int32, write: Int32)
  private let chunks = DeadlineQueue<SerialChunk>(capacity: 1 << 16)
  private let failure = Mutex<RigError?>(nil)
  private let stopped = DispatchSemaphore(value: 0)
  private let closed = Mutex(false)

  /// Opens `path` raw (8N1, no echo, no flow control) at `baud`.
  public init(path: String, baud: Int) throws {
    name = path
    let fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else {
      let e = errno
      throw RigError(
        e == ENOENT ? .hardwareUnavailable : .hardwareFault,
        "cannot open serial port \(path): \(String(cString: strerror(e)))"
          + (e == EACCES ? " (is your user in the 'dialout' group?)" : ""))
    }
    do {
      try Self.configure(fd: fd, baud: baud, path: path)
    } catch {
      Glibc.close(fd)
      throw error
    }
    var pipeFDs: [Int32] = [0, 0]
    guard pipe(&pipeFDs) == 0 else {
      Glibc.close(fd)
      throw RigError(.hardwareFault, "cannot create a wake-up pipe: \(String(cString: strerror(errno)))")
    }
    for end in pipeFDs { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    self.fd = fd
    self.wake = (pipeFDs[0], pipeFDs[1])
    let thread = Thread { [self] in readLoop() }
    thread.name = "rig serial \(path)"
    thread.start()
  }

  deinit {
    if !closed.withLock({ $0 }) {
      shutdown()
    }
  }

  private static func configure(fd: Int32, baud: Int, path: String) throws {
    var tio = termios()
    guard tcgetattr(fd, &tio) == 0 else {
      throw RigError(.hardwareFault, "\(path) is not a terminal: \(String(cString: strerror(errno)))")
    }
    cfmakeraw(&tio)
    tio.c_cflag |= tcflag_t(CLOCAL) | tcflag_t(CREAD)
    tio.c_cflag &= ~(tcflag_t(CRTSCTS) | tcflag_t(CSTOPB) | tcflag_t(PARENB))
    tio.c_iflag &= ~(tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(IXANY))
    guard let speed = baudConstant(baud) else {
      throw RigError(.configInvalid, "\(path): unsupported baud rate \(baud)")
    }
    cfsetispeed(&tio, speed)
    cfsetospeed(&tio, speed)
    guard tcsetattr(fd, TCSANOW, &tio) == 0 else {
      throw RigError(.hardwareFault, "cannot configure \(path): \(String(cString: strerror(errno)))")
    }
  }

  static func baudConstant(_ baud: Int) -> speed_t? {
    switch baud {
    case 9600: speed_t(B9600)
    case 19200: speed_t(B19200)
    case 38400: speed_t(B38400)
    case 57600: speed_t(B57600)
    case 115_200: speed_t(B115200)
    case 230_400: speed_t(B230400)
    case 460_800: speed_t(B460800)
    case 921_600: speed_t(B921600)
    case 1_000_000: speed_t(B1000000)
    case 2_000_000: speed_t(B2000000)
    case 3_000_000: speed_t(B3000000)
    case 4_000_000: speed_t(B4000000)
    default: nil
    }
  }

  private func readLoop() {
    var buffer = [UInt8](repeating: 0, count: 4096)
    var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
    defer { stopped.signal() }
    while true {
      let ready = poll(&fds, 2, -1)
      if ready < 0 {
        if errno == EINTR { continue }
        fail("poll failed: \(String(cString: strerror(errno)))")
        return
      }
      if fds[1].revents != 0 { return }
      if fds[0].revents & Int16(POLLIN) != 0 {
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        let arrival = ContinuousClock.now
        if n > 0 {
          chunks.push(SerialChunk(bytes: Array(buffer[0..<n]), arrival: arrival))
          continue
        }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { continue }
        fail(n == 0 ? "the port closed" : "read failed: \(String(cString: strerror(errno)))")
        return
      }
      if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
        // A pseudo-terminal whose other side is not open yet (or any more) reports POLLHUP; wait a
        // little rather than spin, and keep reading when the other side comes back.
        if fds[0].revents & Int16(POLLNVAL) != 0 {
          fail("the port is gone")
          return
        }
        var ts = timespec(tv_sec: 0, tv_nsec: 2_000_000)
        nanosleep(&ts, nil)
      }
    }
  }

  private func fail(_ why: String) {
    failure.withLock { $0 = RigError(.hardwareFault, "serial port \(name): \(why)") }
    chunks.finish()
  }

  public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n > 0 {
        offset += n
        continue
      }
      let e = errno
      guard n < 0 && (e == EAGAIN || e == EINTR) else {
        throw RigError(.hardwareFault, "serial port \(name): write failed: \(String(cString: strerror(e)))")
      }
      if ContinuousClock.now >= deadline {
        throw RigError(.timedOut, "serial port \(name): write of \(bytes.count) bytes timed out after \(offset)")
      }
      try await Task.sleep(for: .milliseconds(1))
    }
  }

  public func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
    if let chunk = await chunks.next(until: deadline) { return chunk }
    if let error = failure.withLock({ $0 }) { throw error }
    return nil
  }

  public func discardInput() {
    tcflush(fd, TCIFLUSH)
    chunks.removeAll()
  }

  public func close() async {
    shutdown()
  }

  private func shutdown() {
    let first = closed.withLock { c -> Bool in
      defer { c = true }
      return !c
    }
    guard first else { return }
    var one: UInt8 = 1
    _ = Glibc.write(wake.write, &one, 1)
    stopped.wait()
    Glibc.close(fd)
    Glibc.close(wake.read)
    Glibc.close(wake.write)
    chunks.finish()
  }
}

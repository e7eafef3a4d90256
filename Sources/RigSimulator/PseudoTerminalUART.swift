// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// The virtual DUT's UART wired to a pseudo-terminal, so the host opens a real tty
/// (`devicePath`) exactly as it opens a USB serial adapter, and talks to it with real tty I/O.
///
/// The DUT's output is written into the controller side as the firmware prints it; a thread owned
/// by this type reads the controller side and feeds what the host writes to the firmware's
/// receive path. Output is dropped, as on a real UART, if the host does not read for a while.
final class PseudoTerminalUART: @unchecked Sendable {
  // @unchecked: the descriptors are fixed after init; the reader thread only reads them and
  // `close()` releases them once, after the thread has stopped.
  let devicePath: String
  private let terminal: PseudoTerminal
  private let wake: (read: Int32, write: Int32)
  private let stopped = DispatchSemaphore(value: 0)
  private var closed = false

  /// How long a write may wait for the host to read before the bytes are dropped.
  static let writePatienceMilliseconds: Int32 = 200

  init(board: VirtualBoard) throws {
    terminal = try PseudoTerminal()
    devicePath = terminal.devicePath
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else {
      terminal.close()
      throw RigError(.hardwareFault, "cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    wake = (fds[0], fds[1])
    // The device side stays open here too, so the controller never sees a hang-up while the
    // host reopens the tty (as a real adapter stays present between opens).
    let holder = open(devicePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
    let controller = terminal.controller
    board.locked {
      board.wire = { bytes in Self.write(bytes, to: controller) }
    }
    let thread = Thread { [self] in
      receiveLoop(board: board)
      if holder >= 0 { Glibc.close(holder) }
    }
    thread.name = "virtual-rt1062 uart"
    thread.start()
  }

  /// Writes all bytes unless the host stops reading for `writePatienceMilliseconds`.
  private static func write(_ bytes: [UInt8], to fd: Int32) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n > 0 {
        offset += n
        continue
      }
      if n < 0 && errno == EINTR { continue }
      var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
      if n < 0 && errno == EAGAIN && poll(&p, 1, writePatienceMilliseconds) > 0 { continue }
      return
    }
  }

  private func receiveLoop(board: VirtualBoard) {
    defer { stopped.signal() }
    var buffer = [UInt8](repeating: 0, count: 1024)
    var fds = [
      pollfd(fd: terminal.controller, events: Int16(POLLIN), revents: 0),
      pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
    ]
    while true {
      if poll(&fds, 2, -1) < 0 {
        if errno == EINTR { continue }
        return
      }
      if fds[1].revents != 0 { return }
      if fds[0].revents & Int16(POLLIN) != 0 {
        let n = buffer.withUnsafeMutableBytes { Glibc.read(terminal.controller, $0.baseAddress, $0.count) }
        if n > 0 {
          board.receive(Array(buffer[0..<n]))
        } else if n < 0 && errno != EAGAIN && errno != EINTR {
          return
        }
      } else if fds[0].revents != 0 {
        // No host has the device side open (POLLHUP): wait for one rather than spin.
        var pause = timespec(tv_sec: 0, tv_nsec: 5_000_000)
        nanosleep(&pause, nil)
      }
    }
  }

  /// Stops the receive thread and closes the terminal; the host's tty then reads end-of-file.
  func close(board: VirtualBoard) {
    guard !closed else { return }
    closed = true
    board.locked { board.wire = nil }
    var one: UInt8 = 1
    _ = Glibc.write(wake.write, &one, 1)
    stopped.wait()
    terminal.close()
    Glibc.close(wake.read)
    Glibc.close(wake.write)
  }
}

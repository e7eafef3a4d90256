// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

#if canImport(Glibc)
  import Glibc
#endif

/// The virtual DUT's UART wired to a pseudo-terminal, so the host opens a real tty
/// (`devicePath`) exactly as it opens a USB serial adapter, and talks to it with real tty I/O.
///
/// The DUT's output is written into the controller side as the firmware prints it; a RigSystem
/// reader thread reads the controller side and feeds what the host writes to the firmware's
/// receive path. Output is dropped, as on a real UART, if the host does not read for a while.
final class PseudoTerminalUART: Sendable {
  let devicePath: String
  private let terminal: PseudoTerminal
  /// The device side, held open here too so the controller never sees a hang-up while the host
  /// reopens the tty (as a real adapter stays present between opens); -1 if it could not be.
  private let holder: Int32
  private let reader: DescriptorReader
  private let closed = Locked(false)

  /// How long a write may wait for the host to read before the bytes are dropped.
  static let writePatienceMilliseconds: Int32 = 200

  init(board: VirtualBoard) throws {
    let terminal = try PseudoTerminal()
    self.terminal = terminal
    devicePath = terminal.devicePath
    holder = open(devicePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
    let controller = terminal.controller
    do {
      reader = try DescriptorReader(
        fd: controller, name: "virtual-rt1062 uart", hangUp: .waitForPeer,
        handler: ReadingHandler(
          bufferSize: 1024, endOfFile: .isEmptyRead, peerMayReturn: true,
          onBytes: { board.receive($0.bytes) }, onEnd: { _ in }))
    } catch {
      if holder >= 0 { Glibc.close(holder) }
      terminal.close()
      throw error
    }
    board.locked {
      board.wire = { bytes in Self.write(bytes, to: controller) }
    }
  }

  /// Writes all bytes unless the host stops reading for `writePatienceMilliseconds`. Runs on the
  /// virtual board's own thread, which stands for the DUT's UART hardware.
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

  /// Stops the reader thread and closes the terminal; the host's tty then reads end-of-file.
  /// Only the first call does anything.
  func close(board: VirtualBoard) {
    let first = closed.withLock { closed -> Bool in
      defer { closed = true }
      return !closed
    }
    guard first else { return }
    board.locked { board.wire = nil }
    reader.stop()
    if holder >= 0 { Glibc.close(holder) }
    terminal.close()
  }
}

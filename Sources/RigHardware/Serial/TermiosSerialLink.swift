// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

#if canImport(Glibc)
  import Glibc
#endif

/// A serial link over a tty opened with plain POSIX calls and termios: pseudo-terminals (the
/// simulated bench, socat, ser2net) and any tty libserialport cannot open. Data is 8N1, raw.
///
/// Needs no modem-control ioctls, which pseudo-terminals refuse (the reason libserialport cannot
/// open them). Reads come from a RigSystem reader thread blocked in `poll(2)`, so each chunk is
/// stamped on arrival.
public final class TermiosSerialLink: SerialLink, Sendable {
  // `fd` is fixed after init; the reader thread and the one writer only use it, and `close()`
  // closes it once, after the reader has stopped.
  public let name: String
  private let fd: Int32
  private let reader: DescriptorStream
  private let closed = Locked(false)

  /// Opens `path` raw at `baud`, 8N1, with `flow` control.
  public init(path: String, baud: Int, flow: HardwareSettings.FlowControl = .none) throws {
    name = path
    let fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { throw SerialFailure.openFailed(path, errno: errno) }
    do {
      try Self.configure(fd: fd, baud: baud, flow: flow, path: path)
      self.reader = try SerialReader.start(portName: path, fd: fd)
    } catch {
      Glibc.close(fd)
      throw error
    }
    self.fd = fd
  }

  deinit {
    shutdown()
  }

  private static func configure(
    fd: Int32, baud: Int, flow: HardwareSettings.FlowControl, path: String
  ) throws {
    var tio = termios()
    guard tcgetattr(fd, &tio) == 0 else {
      let code = errno
      throw code == ENOTTY || code == EINVAL
        ? SerialFailure.openFailed(path, errno: ENOTTY)
        : SerialFailure.openFailed(path, errno: code, operation: "read the settings of")
    }
    cfmakeraw(&tio)
    tio.c_cflag |= tcflag_t(CLOCAL) | tcflag_t(CREAD)
    tio.c_cflag &= ~(tcflag_t(CRTSCTS) | tcflag_t(CSTOPB) | tcflag_t(PARENB))
    tio.c_iflag &= ~(tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(IXANY))
    switch flow {
    case .none: break
    case .rtscts: tio.c_cflag |= tcflag_t(CRTSCTS)
    case .xonxoff: tio.c_iflag |= tcflag_t(IXON) | tcflag_t(IXOFF)
    }
    guard let speed = baudConstant(baud) else {
      throw SerialFailure.unsupportedBaud(path, baud, supported: supportedBauds)
    }
    cfsetispeed(&tio, speed)
    cfsetospeed(&tio, speed)
    guard tcsetattr(fd, TCSANOW, &tio) == 0 else {
      throw SerialFailure.openFailed(path, errno: errno, operation: "configure")
    }
  }

  /// The rates termios names, which are all a plain tty is sure to take.
  static let supportedBauds = [
    1200, 2400, 4800, 9600, 19200, 38400, 57600, 115_200, 230_400, 460_800, 500_000, 576_000,
    921_600, 1_000_000, 1_152_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 3_500_000, 4_000_000,
  ]

  static func baudConstant(_ baud: Int) -> speed_t? {
    switch baud {
    case 1200: speed_t(B1200)
    case 2400: speed_t(B2400)
    case 4800: speed_t(B4800)
    case 9600: speed_t(B9600)
    case 19200: speed_t(B19200)
    case 38400: speed_t(B38400)
    case 57600: speed_t(B57600)
    case 115_200: speed_t(B115200)
    case 230_400: speed_t(B230400)
    case 460_800: speed_t(B460800)
    case 500_000: speed_t(B500000)
    case 576_000: speed_t(B576000)
    case 921_600: speed_t(B921600)
    case 1_000_000: speed_t(B1000000)
    case 1_152_000: speed_t(B1152000)
    case 1_500_000: speed_t(B1500000)
    case 2_000_000: speed_t(B2000000)
    case 2_500_000: speed_t(B2500000)
    case 3_000_000: speed_t(B3000000)
    case 3_500_000: speed_t(B3500000)
    case 4_000_000: speed_t(B4000000)
    default: nil
    }
  }

  public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
    let fd = self.fd
    try await SerialWriteLoop.writeAll(bytes, portName: name, deadline: deadline, reader: reader) {
      buffer in
      Glibc.write(fd, buffer.baseAddress, buffer.count)
    }
  }

  public func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
    try await reader.next(until: deadline)
  }

  public func discardInput() {
    tcflush(fd, TCIFLUSH)
    reader.discard()
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
    reader.stop()
    Glibc.close(fd)
  }
}

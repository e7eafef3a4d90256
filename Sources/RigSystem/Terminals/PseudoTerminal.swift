// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// A pseudo-terminal pair: the controller side plays a device, the device side (`/dev/pts/N`)
/// is what a host program opens as if it were a UART.
public struct PseudoTerminal: Sendable {
  /// File descriptor of the controller side, close-on-exec.
  public let controller: Int32
  /// Path of the device side.
  public let devicePath: String

  /// Opens a new pair through `/dev/ptmx`, in raw mode as a device's wire, or with `raw: false`
  /// as a login terminal (line editing and echo: a user's terminal, in tests).
  public init(raw: Bool = true) throws {
    let fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else {
      throw RigError(
        .hardwareUnavailable, "cannot open a pseudo-terminal", cause: SystemError.last("open", "/dev/ptmx"))
    }
    // <asm-generic/ioctls.h>, the same on x86-64 and arm64; Swift does not import these macros.
    let TIOCSPTLCK: UInt = 0x4004_5431  // _IOW('T', 0x31, int): lock or unlock the device side
    let TIOCGPTN: UInt = 0x8004_5430  // _IOR('T', 0x30, unsigned int): its number
    var unlock: Int32 = 0
    var number: UInt32 = 0
    guard ioctl(fd, TIOCSPTLCK, &unlock) == 0, ioctl(fd, TIOCGPTN, &number) == 0 else {
      let error = SystemError.last("ioctl", "/dev/ptmx")
      Glibc.close(fd)
      throw RigError(.hardwareUnavailable, "cannot set up a pseudo-terminal", cause: error)
    }
    var tio = termios()
    if raw, tcgetattr(fd, &tio) == 0 {
      cfmakeraw(&tio)
      tcsetattr(fd, TCSANOW, &tio)
    }
    controller = fd
    devicePath = "/dev/pts/\(number)"
  }

  /// Closes the controller side; the device side then reads end-of-file or EIO.
  public func close() {
    Glibc.close(controller)
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// The messages for serial ports that cannot be opened: what, why, and what to do about it.
/// Pure functions of the errno the open failed with, so every message is unit-tested.
enum SerialFailure {
  static let dialoutHint =
    "add your user to the 'dialout' group (sudo usermod -aG dialout $USER, then log in again) "
    + "or install Rigs/99-rig.rules; see docs/bench-setup.md"

  /// A port that is not there.
  static func notFound(_ port: String) -> RigError {
    var message =
      "serial port \(port) not found (is the board plugged in and powered? "
      + "`rig devices` lists the ports present"
    if port.hasPrefix("/dev/serial/by-id/") {
      message +=
        "; a by-id name holds the adapter's serial number, so another adapter has another name"
    }
    return RigError(.hardwareUnavailable, message + ")")
  }

  /// Why opening `port` failed, from errno.
  static func openFailed(_ port: String, errno code: Int32, operation: String = "open") -> RigError
  {
    let reason = ErrorText.posix(code)
    switch code {
    case ENOENT:
      return notFound(port)
    case EACCES, EPERM:
      return RigError(
        .hardwareUnavailable, "serial port \(port): permission denied (\(dialoutHint))")
    case EBUSY:
      return RigError(
        .hardwareUnavailable,
        "serial port \(port) is in use by another program (close it; `fuser -v \(port)` names it)")
    case ENXIO, ENODEV:
      return RigError(
        .hardwareUnavailable, "serial port \(port) has no device behind it (\(reason); unplugged?)")
    case ENOTTY:
      return RigError(.hardwareUnavailable, "\(notATerminal(port)) (\(reason))")
    default:
      return RigError(.hardwareFault, "cannot \(operation) serial port \(port): \(reason)")
    }
  }

  /// Whether `error` says `port` is not a terminal (made by `openFailed` for ENOTTY).
  static func isNotATerminal(_ error: RigError, port: String) -> Bool {
    error.message.hasPrefix(notATerminal(port))
  }

  private static func notATerminal(_ port: String) -> String { "\(port) is not a serial port" }

  /// A baud rate the port's driver does not offer.
  static func unsupportedBaud(_ port: String, _ baud: Int, supported: [Int]) -> RigError {
    RigError(
      .configInvalid,
      "serial port \(port): baud rate \(baud) is not supported here "
        + "(supported: \(supported.map(String.init).joined(separator: ", ")))")
  }
}

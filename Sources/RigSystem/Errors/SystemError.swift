// SPDX-License-Identifier: Apache-2.0
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// A system call that failed: which call, on which path or device, and the errno it set.
///
/// The one place errno becomes an error. Callers capture it right after the failing call
/// (`SystemError.last("open", path)`), before anything else can overwrite errno, and either throw
/// it as the cause of a `RigError` whose message says what rig was doing and what to check, or
/// quote its `reason`.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The errno value.
  public var code: Int32
  /// The call that failed: "open", "poll", "write", "posix_spawn".
  public var call: String
  /// The file, device or program it was about, when there was one.
  public var path: String?

  public init(code: Int32, call: String, path: String? = nil) {
    self.code = code
    self.call = call
    self.path = path
  }

  /// The error the last failed call left in errno. Call it before anything else runs.
  public static func last(_ call: String, _ path: String? = nil) -> SystemError {
    SystemError(code: errno, call: call, path: path)
  }

  /// The C library's sentence for the errno: "No such file or directory".
  public var reason: String { ErrorText.posix(code) }

  /// `open /dev/ttyUSB0: No such file or directory`.
  public var description: String {
    "\(call)\(path.map { " \($0)" } ?? ""): \(reason)"
  }

  /// Whether the errno says the device itself went away (a USB adapter unplugged, a pseudo-
  /// terminal whose other side closed): EIO, ENODEV, ENXIO.
  public var isDeviceGone: Bool { code == EIO || code == ENODEV || code == ENXIO }

  /// Whether the call would have blocked or was interrupted, and should simply be tried again.
  public var isTransient: Bool { code == EAGAIN || code == EWOULDBLOCK || code == EINTR }
}

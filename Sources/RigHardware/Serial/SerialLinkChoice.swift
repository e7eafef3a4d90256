// SPDX-License-Identifier: Apache-2.0

/// Which implementation serves a tty, and why: what `SerialLinkFactory` logs when it opens one.
public struct SerialLinkChoice: Sendable, Equatable, CustomStringConvertible {
  /// The two implementations of `SerialLink` for ttys.
  public enum Backend: String, Sendable {
    case libserialport
    case termios
  }

  public var backend: Backend
  /// The device node behind the path, symlinks resolved: `/dev/ttyACM0`, `/dev/pts/3`.
  public var device: String
  /// Why this backend: "a pseudo-terminal, which libserialport cannot open".
  public var reason: String

  /// A choice.
  public init(backend: Backend, device: String, reason: String) {
    self.backend = backend
    self.device = device
    self.reason = reason
  }

  /// `/dev/pts/3 via termios (a pseudo-terminal, which libserialport cannot open)`.
  public var description: String { "\(device) via \(backend.rawValue) (\(reason))" }
}

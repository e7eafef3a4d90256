// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Where the CLI prints: results to standard output, diagnostics to standard error.
///
/// Lines go straight to the descriptors with `write(2)`: `rig test` prints a line per frame for
/// as long as a clip runs, and Foundation's `FileHandle` keeps what it writes alive on Linux.
enum Terminal {
  static func out(_ text: String) { write(text + "\n", to: STDOUT_FILENO) }

  static func error(_ text: String) { write(text + "\n", to: STDERR_FILENO) }

  /// Text exactly as given, without a newline: the in-place progress line and its erasing.
  static func raw(_ text: String) { write(text, to: STDOUT_FILENO) }

  /// The terminal's width in columns; 80 when standard output is not a terminal.
  static var columns: Int {
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }

  private static func write(_ text: String, to fd: Int32) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return }
      offset += n
    }
  }

  /// Whether standard output is a terminal that understands colour.
  static var supportsColor: Bool {
    isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
      && ProcessInfo.processInfo.environment["TERM"] != "dumb"
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Which character devices are terminals, from the kernel's list of tty drivers
/// (`/proc/tty/drivers`: name, node, major number, minor range, type), so a device can be told
/// a serial port without opening it (opening a USB serial port can reset the board behind it).
/// `/dev/null` and `/dev/zero` are character devices too, but no tty driver owns them.
struct TerminalDrivers: Sendable {
  struct Range: Sendable, Equatable {
    var major: UInt32
    var minors: ClosedRange<UInt32>
  }

  let ranges: [Range]

  /// The drivers of this machine, or nil when the list cannot be read (not Linux).
  static func load(from path: String = "/proc/tty/drivers") -> TerminalDrivers? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    return TerminalDrivers(parsing: text)
  }

  /// Parses the list; fields are counted from the end of each line, as a driver's name is free
  /// text.
  init(parsing text: String) {
    ranges = text.split(separator: "\n").compactMap { line in
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard fields.count >= 4, let major = UInt32(fields[fields.count - 3]) else { return nil }
      let minors = fields[fields.count - 2].split(separator: "-").compactMap { UInt32($0) }
      guard let low = minors.first, let high = minors.last, low <= high else { return nil }
      return Range(major: major, minors: low...high)
    }
  }

  /// Whether the device numbered `device` (a `stat` `st_rdev`) is a terminal.
  func isTerminal(device: UInt64) -> Bool {
    // glibc's encoding of dev_t: major in bits 8-19 and 32-43, minor in bits 0-7 and 20-31.
    let major = UInt32((device >> 8) & 0xFFF) | UInt32((device >> 32) & ~0xFFF & 0xFFFF_FFFF)
    let minor = UInt32(device & 0xFF) | UInt32((device >> 12) & ~0xFF & 0xFFFF_FFFF)
    return ranges.contains { $0.major == major && $0.minors.contains(minor) }
  }
}

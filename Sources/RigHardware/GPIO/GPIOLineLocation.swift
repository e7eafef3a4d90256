// SPDX-License-Identifier: Apache-2.0

/// Where a `GPIOLineSpec` landed: the chip, the offset and the line's state when it was found.
public struct GPIOLineLocation: Sendable, Equatable {
  /// The kernel's chip name: `gpiochip0`.
  public var chipName: String
  /// The chip's label: `pinctrl-bcm2711`.
  public var chipLabel: String
  /// The chip's character device: `/dev/gpiochip0`.
  public var chipPath: String
  public var offset: Int
  /// The line as the kernel reported it when it was located (`used`, `consumer` may change).
  public var line: GPIOLineInfo

  /// A located line.
  public init(
    chipName: String, chipLabel: String, chipPath: String, offset: Int, line: GPIOLineInfo
  ) {
    self.chipName = chipName
    self.chipLabel = chipLabel
    self.chipPath = chipPath
    self.offset = offset
    self.line = line
  }

  /// `GPIO17 (gpiochip0 line 17)`, or `gpiochip0 line 17` for a line without a name.
  public var displayName: String {
    if let name = line.name { return "\(name) (\(chipName) line \(offset))" }
    return "\(chipName) line \(offset)"
  }

  /// `line GPIO17 on gpiochip0`, or `line 17 on gpiochip0` for a line without a name.
  public var lineOnChip: String {
    "line \(line.name ?? String(offset)) on \(chipName)"
  }

  /// "line GPIO17 on gpiochip0 is busy (held by …)" when the line was in use when located.
  public var busyProblem: String? {
    line.used ? GPIOFailure.busyMessage(lineOnChip: lineOnChip, consumer: line.consumer) : nil
  }
}

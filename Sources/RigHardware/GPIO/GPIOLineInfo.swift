// SPDX-License-Identifier: Apache-2.0

/// What the kernel reports about one line of a GPIO chip.
public struct GPIOLineInfo: Sendable, Equatable, Codable {
  /// The line's offset on its chip.
  public var offset: Int
  /// The line's name from the device tree or driver (`GPIO17`), if it has one.
  public var name: String?
  /// Who holds the line (`rig`, `gpio-fan`), if anyone named themselves.
  public var consumer: String?
  /// Whether the line is requested, by a process or by a kernel driver.
  public var used: Bool
  /// Whether the line is configured as an output.
  public var output: Bool
  public var activeLow: Bool

  /// A line's state as the kernel reports it.
  public init(
    offset: Int, name: String?, consumer: String?, used: Bool, output: Bool = false,
    activeLow: Bool = false
  ) {
    self.offset = offset
    self.name = name
    self.consumer = consumer
    self.used = used
    self.output = output
    self.activeLow = activeLow
  }
}

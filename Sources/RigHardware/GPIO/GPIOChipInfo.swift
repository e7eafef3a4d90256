// SPDX-License-Identifier: Apache-2.0

/// One GPIO chip and its lines, as `rig devices` and `rig doctor` show them.
public struct GPIOChipInfo: Sendable, Equatable, Codable {
  /// The kernel's name for the chip: `gpiochip0`.
  public var name: String
  /// What the driver calls it: `pinctrl-bcm2711`, `pinctrl-rp1`, `gpio-sim.0-node0`.
  public var label: String
  /// The character device: `/dev/gpiochip0`.
  public var path: String
  public var lines: [GPIOLineInfo]
  /// Why the chip could not be read (permission denied, not a GPIO chip), with the fix; nil if
  /// it was read.
  public var problem: String?

  /// A chip as listed.
  public init(
    name: String, label: String, path: String, lines: [GPIOLineInfo], problem: String? = nil
  ) {
    self.name = name
    self.label = label
    self.path = path
    self.lines = lines
    self.problem = problem
  }

  /// The lines that have names, in offset order.
  public var namedLines: [GPIOLineInfo] { lines.filter { $0.name != nil } }
}

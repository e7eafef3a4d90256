// SPDX-License-Identifier: Apache-2.0

/// Which GPIO line a rig file means and how to drive it: `{ chip: gpiochip0, line: GPIO17 }`.
///
/// Naming the line (`GPIO17`) rather than its offset keeps a rig file working on a Pi 4 and a
/// Pi 5, whose chips number the header pins differently; with `chip` left out every chip is
/// searched for the name.
public struct GPIOLineSpec: Sendable, Hashable, CustomStringConvertible {
  /// A line by offset on its chip, or by the name the kernel gives it.
  public enum Line: Sendable, Hashable, CustomStringConvertible {
    case offset(Int)
    case name(String)

    /// Reads `17` as an offset and anything else (`GPIO17`, `relay0`) as a line name.
    public init(_ text: String) {
      if !text.isEmpty, text.allSatisfy(\.isASCII), let offset = Int(text), offset >= 0 {
        self = .offset(offset)
      } else {
        self = .name(text)
      }
    }

    public var description: String {
      switch self {
      case .offset(let offset): "\(offset)"
      case .name(let name): name
      }
    }
  }

  /// How an output drives its pin.
  public enum Drive: String, Sendable, Hashable, Codable, CaseIterable {
    case pushPull = "push-pull"
    case openDrain = "open-drain"
    case openSource = "open-source"
  }

  /// A chip name (`gpiochip0`), device path (`/dev/gpiochip0`), number (`0`) or label
  /// (`pinctrl-rp1`); nil searches every chip for the line's name.
  public var chip: String?
  public var line: Line
  /// Logical "active" drives the pin low; edges and values read are inverted the same way.
  public var activeLow: Bool
  public var drive: Drive

  /// A line spec; `chip` nil means "whichever chip has a line of this name".
  public init(chip: String? = nil, line: Line, activeLow: Bool = false, drive: Drive = .pushPull) {
    self.chip = chip
    self.line = line
    self.activeLow = activeLow
    self.drive = drive
  }

  public var description: String {
    var text = chip.map { "\($0) line \(line)" } ?? "line \(line)"
    if activeLow { text += " (active-low)" }
    if drive != .pushPull { text += " (\(drive.rawValue))" }
    return text
  }
}

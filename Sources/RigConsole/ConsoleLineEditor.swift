// SPDX-License-Identifier: Apache-2.0

/// What the user types, a byte at a time: line editing with backspace, Enter sends, and the
/// ways out (`~.` at the start of a line, Ctrl-C, Ctrl-D on an empty line).
public struct ConsoleLineEditor: Sendable {
  /// What a byte did.
  public enum Action: Equatable, Sendable {
    case none
    case edited
    case line(String)
    case quit
  }

  /// The line being typed.
  public private(set) var text = ""

  public init() {}

  /// Takes one byte from the keyboard.
  public mutating func feed(_ byte: UInt8) -> Action {
    switch byte {
    case 0x03:
      return .quit
    case 0x04:
      return text.isEmpty ? .quit : .none
    case 0x0D, 0x0A:
      let line = text
      text = ""
      if line == "~." { return .quit }
      return .line(line)
    case 0x7F, 0x08:
      guard !text.isEmpty else { return .none }
      text.removeLast()
      return .edited
    case 0x2E where text == "~":
      text = ""
      return .quit
    case 0x20...0x7E:
      text.append(Character(Unicode.Scalar(byte)))
      return .edited
    default:
      return .none
    }
  }
}

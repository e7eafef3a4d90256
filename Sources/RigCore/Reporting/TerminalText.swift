// SPDX-License-Identifier: Apache-2.0

/// Text from outside rig (files users hand it, a board's console, a device's name) made safe to
/// show on a terminal, and short enough to quote in a message.
///
/// A terminal obeys the control characters it is sent: ESC sequences clear the screen, move the
/// cursor, set the window title or write the clipboard, BEL rings, NUL and backspace hide what
/// came before, and bidirectional overrides show text in another order than it is. So every
/// outside string rig prints goes through `sanitize`, which shows each control character as an
/// escape (`\e`, `\a`, `\0`, `\x01`, `\u{202E}`): nothing is obeyed, and nothing is hidden
/// either (a file name holding `ESC [2J` is shown as it is, so it can be found and renamed).
///
/// Quoting a file's content in a message follows one rule: at most `excerptLimit` characters,
/// on one line, sanitised. A file that is not the kind of file it should be (labels that are not
/// CSV, a frame that is not a PGM) is described, never quoted.
public enum TerminalText {
  /// The most characters of outside text a message quotes.
  public static let excerptLimit = 40

  /// `text` with control characters shown as escapes; line breaks are kept when
  /// `keepLineBreaks`, and tabs always.
  public static func sanitize(_ text: String, keepLineBreaks: Bool = true) -> String {
    let scalars = text.unicodeScalars
    if scalars.allSatisfy({ isPlain($0, keepLineBreaks: keepLineBreaks) }) { return text }
    var out = String.UnicodeScalarView()
    for scalar in scalars {
      if isPlain(scalar, keepLineBreaks: keepLineBreaks) {
        out.append(scalar)
      } else {
        out.append(contentsOf: escape(scalar).unicodeScalars)
      }
    }
    return String(out)
  }

  /// A quotable piece of outside text: its first line, sanitised, at most `limit` characters
  /// (cut with `…`).
  public static func excerpt(_ text: some StringProtocol, limit: Int = excerptLimit) -> String {
    // Only as much is looked at as can be shown, however long the text.
    var line = String.UnicodeScalarView()
    var taken = 0
    var more = false
    var rest = text.unicodeScalars[...]
    while let scalar = rest.first {
      if scalar == "\n" || scalar == "\r" {
        more = rest.dropFirst().prefix(64).contains { $0 != "\n" && $0 != "\r" }
        break
      }
      if taken == limit {
        more = true
        break
      }
      line.append(scalar)
      taken += 1
      rest = rest.dropFirst()
    }
    let shown = sanitize(String(line), keepLineBreaks: false)
    guard more || shown.count > limit else { return shown }
    return String(shown.prefix(min(shown.count, limit - 1))) + "…"
  }

  /// Printable text, and the tab (and line breaks, when kept).
  static func isPlain(_ scalar: Unicode.Scalar, keepLineBreaks: Bool) -> Bool {
    switch scalar.value {
    case 0x20...0x7E: true
    case 0x09: true
    case 0x0A, 0x0D: keepLineBreaks
    case 0x00...0x1F, 0x7F...0x9F: false
    // Bidirectional embeddings, overrides and isolates reorder what a reader sees.
    case 0x202A...0x202E, 0x2066...0x2069: false
    default: true
    }
  }

  private static func escape(_ scalar: Unicode.Scalar) -> String {
    switch scalar.value {
    case 0x00: return "\\0"
    case 0x07: return "\\a"
    case 0x08: return "\\b"
    case 0x0A: return "\\n"
    case 0x0D: return "\\r"
    case 0x1B: return "\\e"
    case 0x00...0xFF:
      let digits = String(scalar.value, radix: 16, uppercase: true)
      return "\\x" + (digits.count < 2 ? "0" : "") + digits
    default:
      return "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
    }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Text made safe for JUnit XML (profile rules 2 and 3 in docs/reports.md).
///
/// Consumers reject a whole file for one ESC byte or other character XML 1.0 forbids (even as a
/// character reference), and libxml2-based ones refuse text nodes over 10 MB, so every text and
/// attribute value goes through here.
public enum XMLText {
  /// The most UTF-8 bytes a text node may hold (1 MiB): far below libxml2's 10 MB limit.
  public static let maxTextBytes = 1 << 20

  /// Strips ANSI escape sequences, replaces characters XML 1.0 forbids with a visible `#xNN`
  /// (as pytest does) and drops DEL (0x7F).
  public static func sanitize(_ text: String) -> String {
    if text.unicodeScalars.allSatisfy(isPlain) { return text }
    let scalars = Array(text.unicodeScalars)
    var out = String.UnicodeScalarView()
    out.reserveCapacity(scalars.count)
    var i = 0
    while i < scalars.count {
      let value = scalars[i].value
      if value == 0x1B, let end = escapeSequenceEnd(scalars, from: i) {
        i = end
        continue
      }
      if value == 0x7F {
        i += 1
        continue
      }
      if isAllowed(value) {
        out.append(scalars[i])
      } else {
        out.append(contentsOf: "#x\(hex(value))".unicodeScalars)
      }
      i += 1
    }
    return String(out)
  }

  /// Escapes text content: `&`, `<`, `>` and CR (which parsers would otherwise turn into LF).
  public static func escapeText(_ text: String) -> String {
    escape(text, attribute: false)
  }

  /// Escapes an attribute value: also quotes, and tabs and line breaks as character references
  /// so parsers keep them instead of normalising them to spaces.
  public static func escapeAttribute(_ text: String) -> String {
    escape(text, attribute: true)
  }

  /// Keeps the head and the tail of text longer than `limit` UTF-8 bytes, with a marker saying
  /// how much was cut and where the full text is.
  public static func cap(_ text: String, limit: Int = maxTextBytes, fullText: String? = nil)
    -> String
  {
    let bytes = Array(text.utf8)
    guard bytes.count > limit else { return text }
    let whereFull = fullText.map { "; full log: \($0)" } ?? ""
    // Room for the marker, whose byte count has at most 20 digits.
    let markerRoom = 40 + whereFull.utf8.count
    let budget = max(0, limit - markerRoom)
    var headEnd = budget / 2
    var tailStart = bytes.count - (budget - budget / 2)
    // Cut at character boundaries: never inside a multi-byte UTF-8 sequence.
    while headEnd > 0, bytes[headEnd] & 0xC0 == 0x80 { headEnd -= 1 }
    while tailStart < bytes.count, bytes[tailStart] & 0xC0 == 0x80 { tailStart += 1 }
    let dropped = tailStart - headEnd
    return String(decoding: bytes[..<headEnd], as: UTF8.self)
      + "\n...[truncated \(dropped) bytes\(whereFull)]...\n"
      + String(decoding: bytes[tailStart...], as: UTF8.self)
  }

  /// The first line of `text`, sanitised and at most `limit` characters (JUnit `message`).
  public static func oneLine(_ text: String, limit: Int = 200) -> String {
    let first = sanitize(String(text.prefix { $0 != "\n" && $0 != "\r" }))
    let trimmed = first.trimmingSpaces()
    guard trimmed.count > limit else { return trimmed }
    return String(trimmed.prefix(limit - 3)) + "..."
  }

  private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    return v != 0x1B && v != 0x7F && isAllowed(v)
  }

  /// XML 1.0 `Char`, without 0x7F–0x9F which the profile does allow (0x7F is dropped earlier).
  private static func isAllowed(_ v: UInt32) -> Bool {
    switch v {
    case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x80...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
    default: false
    }
  }

  /// The index just past an ANSI sequence starting at `start` (ESC), or nil if none starts there:
  /// CSI `ESC [ params intermediates final`, or OSC `ESC ] … BEL` / `ESC ] … ESC \`.
  private static func escapeSequenceEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
    guard start + 1 < s.count else { return nil }
    var j = start + 2
    switch s[start + 1] {
    case "[":
      while j < s.count, (0x30...0x3F).contains(s[j].value) { j += 1 }
      while j < s.count, (0x20...0x2F).contains(s[j].value) { j += 1 }
      guard j < s.count, (0x40...0x7E).contains(s[j].value) else { return nil }
      return j + 1
    case "]":
      // Titles and hyperlinks are short; the bound keeps a stray ESC ] from making this quadratic.
      let limit = min(s.count, j + 4096)
      while j < limit {
        if s[j].value == 0x07 { return j + 1 }
        if s[j].value == 0x1B, j + 1 < s.count, s[j + 1] == "\\" { return j + 2 }
        j += 1
      }
      return nil
    default:
      return nil
    }
  }

  private static func escape(_ text: String, attribute: Bool) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\r": out += "&#13;"
      case "\"" where attribute: out += "&quot;"
      case "\n" where attribute: out += "&#10;"
      case "\t" where attribute: out += "&#9;"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  private static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return digits.count < 2 ? "0" + digits : digits
  }
}

extension String {
  /// Without leading and trailing spaces and tabs.
  fileprivate func trimmingSpaces() -> String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
    while let c = s.last, c == " " || c == "\t" { s.removeLast() }
    return String(s)
  }
}

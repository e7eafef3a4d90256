// SPDX-License-Identifier: Apache-2.0

/// Finds mapping keys that are aliases or collections before the YAML is composed.
///
/// Composing hashes every mapping key to detect duplicates. A key that is an alias of a nested
/// collection (`? *bomb`) is hashed at its full expanded size, which an alias bomb makes
/// astronomically large, so it must be caught on the raw text. Rig files only ever use plain
/// names as keys, so refusing these costs nothing. The scan is lexical (comments, quotes and
/// block scalars are skipped) and runs only when the text has both anchors and aliases.
enum YAMLKeyGuard {
  struct Finding: Equatable {
    var line: Int
    var column: Int
    var message: String
  }

  /// The first alias, explicit (`? `) or collection key in `text`, if any.
  static func scan(_ text: String) -> Finding? {
    let bytes = Array(text.utf8)
    guard bytes.contains(ampersand), bytes.contains(asterisk) else { return nil }
    var line = 1
    var start = 0
    var blockScalarParentIndent: Int?
    while start <= bytes.count {
      var end = start
      while end < bytes.count && bytes[end] != newline { end += 1 }
      var indent = 0
      while start + indent < end && bytes[start + indent] == space { indent += 1 }
      let blank = bytes[start..<end].allSatisfy { $0 == space || $0 == tab || $0 == carriageReturn }
      if let parent = blockScalarParentIndent, blank || indent > parent {
        // Inside a `|` or `>` block scalar: its lines are text, not structure.
      } else {
        blockScalarParentIndent = nil
        if let finding = scanLine(
          bytes, start, end, line: line, indent: indent,
          blockScalarParentIndent: &blockScalarParentIndent)
        {
          return finding
        }
      }
      line += 1
      start = end + 1
    }
    return nil
  }

  private static func scanLine(
    _ b: [UInt8], _ start: Int, _ end: Int, line: Int, indent: Int,
    blockScalarParentIndent: inout Int?
  ) -> Finding? {
    func column(_ i: Int) -> Int { b[start..<i].filter { $0 & 0xC0 != 0x80 }.count + 1 }
    func isSpace(_ i: Int) -> Bool {
      i >= end || b[i] == space || b[i] == tab || b[i] == carriageReturn
    }
    func endsKey(_ i: Int) -> Bool {
      var j = i
      while j < end && (b[j] == space || b[j] == tab) { j += 1 }
      guard j < end, b[j] == colon else { return false }
      return isSpace(j + 1) || b[j + 1] == comma || b[j + 1] == closeBracket
        || b[j + 1] == closeBrace
    }
    var i = start
    while i < end {
      let c = b[i]
      let tokenStart =
        i == start || isSpace(i - 1) || b[i - 1] == openBracket || b[i - 1] == openBrace
        || b[i - 1] == comma
      if c == hash && (i == start || isSpace(i - 1)) { return nil }
      if (c == singleQuote || c == doubleQuote) && tokenStart {
        i += 1
        while i < end {
          if c == doubleQuote && b[i] == backslash {
            i += 2
            continue
          }
          if b[i] == c {
            if c == singleQuote && i + 1 < end && b[i + 1] == singleQuote {
              i += 2
              continue
            }
            break
          }
          i += 1
        }
        i += 1
        continue
      }
      if c == asterisk && tokenStart {
        var j = i + 1
        while j < end && isAnchorCharacter(b[j]) { j += 1 }
        if j > i + 1 && endsKey(j) {
          return Finding(line: line, column: column(i), message: "an alias (*name) cannot be a key")
        }
        i = j
        continue
      }
      if c == question && tokenStart && isSpace(i + 1) {
        return Finding(
          line: line, column: column(i), message: "explicit keys ('? ') are not supported here")
      }
      if (c == closeBracket || c == closeBrace) && endsKey(i + 1) {
        return Finding(line: line, column: column(i), message: "a list or mapping cannot be a key")
      }
      if (c == pipe || c == greater) && tokenStart {
        var j = i + 1
        while j < end && (b[j] == plus || b[j] == minus || (b[j] >= digit0 && b[j] <= digit9)) {
          j += 1
        }
        if isSpace(j) {
          var k = j
          while k < end && (b[k] == space || b[k] == tab) { k += 1 }
          if k >= end || b[k] == hash || b[k] == carriageReturn {
            blockScalarParentIndent = indent
            return nil
          }
        }
      }
      i += 1
    }
    return nil
  }

  private static func isAnchorCharacter(_ c: UInt8) -> Bool {
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
      || c == 0x2D || c >= 0x80
  }

  private static let ampersand = UInt8(ascii: "&")
  private static let asterisk = UInt8(ascii: "*")
  private static let newline = UInt8(ascii: "\n")
  private static let carriageReturn = UInt8(ascii: "\r")
  private static let space = UInt8(ascii: " ")
  private static let tab = UInt8(ascii: "\t")
  private static let colon = UInt8(ascii: ":")
  private static let comma = UInt8(ascii: ",")
  private static let hash = UInt8(ascii: "#")
  private static let question = UInt8(ascii: "?")
  private static let pipe = UInt8(ascii: "|")
  private static let greater = UInt8(ascii: ">")
  private static let plus = UInt8(ascii: "+")
  private static let minus = UInt8(ascii: "-")
  private static let digit0 = UInt8(ascii: "0")
  private static let digit9 = UInt8(ascii: "9")
  private static let backslash = UInt8(ascii: "\\")
  private static let singleQuote = UInt8(ascii: "'")
  private static let doubleQuote = UInt8(ascii: "\"")
  private static let openBracket = UInt8(ascii: "[")
  private static let closeBracket = UInt8(ascii: "]")
  private static let openBrace = UInt8(ascii: "{")
  private static let closeBrace = UInt8(ascii: "}")
}

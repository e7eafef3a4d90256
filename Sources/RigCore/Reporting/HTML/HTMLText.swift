// SPDX-License-Identifier: Apache-2.0

/// Text from outside rig (test names, messages, console lines, file names) made safe for the HTML
/// report: it can neither end an element or attribute early nor smuggle in markup or script.
///
/// On top of the JUnit rules (`XMLText.sanitize`: ANSI sequences removed, other control characters
/// shown as `#xNN`), the C1 controls and the Unicode bidirectional embedding, override and isolate
/// controls are shown as `[U+202E]`: they are invisible, and an override can make a name read
/// differently from what it is. The page also wraps user text in `<bdi>` where it sits inside a
/// sentence, so right-to-left text reorders only itself.
public enum HTMLText {
  /// Escapes `&`, `<`, `>` and `"` (and line breaks and tabs as character references, which
  /// browsers show as they are), after making invisible characters visible: safe in text and in
  /// double-quoted attribute values alike.
  public static func escape(_ text: String) -> String {
    XMLText.escapeAttribute(showingHidden(XMLText.sanitize(text)))
  }

  private static func showingHidden(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { isHidden($0.value) }) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if isHidden(scalar.value) {
        out.append(contentsOf: ("[U+" + hex(scalar.value) + "]").unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// Escaped text isolated from the surrounding sentence's direction: `<bdi>…</bdi>`.
  public static func isolated(_ text: String) -> String {
    "<bdi>" + escape(text) + "</bdi>"
  }

  /// A fragment identifier made of `[a-z0-9-]` only, unique through `index`: `t3-corridor-busy`.
  public static func anchor(_ text: String, index: Int) -> String {
    var slug = ""
    for scalar in text.lowercased().unicodeScalars {
      if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
        slug.unicodeScalars.append(scalar)
      } else if !slug.hasSuffix("-") && !slug.isEmpty {
        slug += "-"
      }
      if slug.count >= 40 { break }
    }
    while slug.hasSuffix("-") { slug.removeLast() }
    return "t\(index)" + (slug.isEmpty ? "" : "-" + slug)
  }

  /// A relative link target: every byte outside the unreserved set and `/` percent-encoded, so a
  /// file name cannot leave the attribute or become a `javascript:` URL.
  public static func path(_ relative: String) -> String {
    var out = ""
    for byte in relative.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
        UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        out += "%" + hex(UInt32(byte))
      }
    }
    // A leading "//" or a colon-free scheme can no longer occur; keep the path relative.
    return out.hasPrefix("/") ? "." + out : out
  }

  /// C1 controls; bidirectional embeddings, overrides and isolates; the BOM and line/paragraph
  /// separators, which are invisible or break lines where no one expects it.
  private static func isHidden(_ v: UInt32) -> Bool {
    switch v {
    case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF, 0x2028, 0x2029: true
    default: false
    }
  }

  private static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, (value > 0xFF ? 4 : 2) - digits.count)) + digits
  }
}

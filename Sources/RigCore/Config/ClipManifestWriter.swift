// SPDX-License-Identifier: Apache-2.0

/// Writes `clip.yaml` text for a manifest, in the layout `ClipLoader` reads back unchanged.
public enum ClipManifestWriter {
  /// The `clip.yaml` text for `m`, ending in a newline.
  public static func yaml(_ m: ClipManifest) -> String {
    var lines = [
      "clip: \(scalar(m.name))",
      "format: \(m.format.rawValue)",
      "width: \(m.width)",
      "height: \(m.height)",
      "fps: \(number(m.fps))",
      "frames: { pattern: \(quoted(m.framePattern)), first: \(m.firstFrameNumber), "
        + "count: \(m.frameCount) }",
      "labels: labels.csv",
    ]
    if let line = m.countingLine {
      lines.append(
        "counting_line: { orientation: \(line.orientation.rawValue), "
          + "position: \(line.position), in: \(line.inDirection.rawValue) }"
      )
    }
    lines.append("provenance: \(quoted(m.provenance))")
    lines.append("licence: \(scalar(m.licence))")
    if !m.notes.isEmpty {
      let entries = m.notes.keys.sorted().map { "\(scalar($0)): \(quoted(m.notes[$0] ?? ""))" }
      lines.append("notes: { \(entries.joined(separator: ", ")) }")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A number without a needless `.0`, with every digit a `Double` needs to read back exactly.
  static func number(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  /// Plain when YAML reads it back as the same text, double-quoted otherwise.
  static func scalar(_ s: String) -> String {
    let plainSafe =
      !s.isEmpty
      && s.unicodeScalars.allSatisfy {
        $0.isASCII
          && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
            || "._-/+".unicodeScalars.contains($0))
      }
      && s.unicodeScalars.first.map { $0.properties.isAlphabetic } == true
      && !reservedWords.contains(s.lowercased())
    return plainSafe ? s : quoted(s)
  }

  /// Words YAML 1.1 reads as booleans or null when unquoted.
  private static let reservedWords: Set<String> = [
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf",
  ]

  /// A double-quoted YAML scalar with `\`, `"` and control characters escaped.
  static func quoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if u.value < 0x20 || u.value == 0x7F {
          let hex = String(u.value, radix: 16, uppercase: true)
          out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }
}

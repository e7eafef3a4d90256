// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A clip's ground truth: `labels.csv`, one row per frame.
///
/// ```
/// frame,count,in,out
/// 0,0,0,0
/// 1,1,0,0
/// ```
/// `frame` runs 0, 1, 2, … in order; `count` is the people visible; the optional `in` and `out`
/// columns (both or neither) are cumulative line crossings and never decrease. Spaces around
/// fields, CRLF line ends, a UTF-8 byte order mark and blank lines are tolerated.
public enum LabelsCSV {
  /// Labels files are read whole; this bounds the memory a wrong file can take.
  public static let maxBytes = 64 << 20
  /// Beyond this many problems a file is reported as a count, not line by line.
  static let maxIssues = 50
  /// A clip holds at most this many frames (`frames.count`), so no labels file has more rows.
  public static let maxRows = 10_000_000

  /// The labels in `text`; every bad row is an issue at its line and column in `file`.
  public static func parse(_ text: String, file: String = "labels.csv") throws(ConfigError)
    -> [FrameLabel]
  {
    var issues: [ConfigIssue] = []
    let labels = Array(parse(Array(text.utf8), file: file, into: &issues))
    guard issues.isEmpty else { throw ConfigError(issues) }
    return labels
  }

  /// `frame,count` rows, with `in,out` when every label has both; `\n` line ends.
  public static func render(_ labels: [FrameLabel]) -> String {
    let withLines = !labels.isEmpty && labels.allSatisfy { $0.inCount != nil && $0.outCount != nil }
    var out = withLines ? "frame,count,in,out\n" : "frame,count\n"
    out.reserveCapacity(labels.count * 12)
    for label in labels {
      out += "\(label.frame),\(label.count)"
      if withLines, let inCount = label.inCount, let outCount = label.outCount {
        out += ",\(inCount),\(outCount)"
      }
      out += "\n"
    }
    return out
  }

  /// Parses the bytes of a labels file, appending every problem to `issues`.
  static func parse(_ bytes: [UInt8], file: String, into issues: inout [ConfigIssue])
    -> FrameLabels
  {
    var parser = Parser(bytes: bytes, file: file)
    parser.run()
    if parser.issueCount > maxIssues {
      parser.issues.append(
        ConfigIssue(
          location: SourceLocation(file: file),
          message: "\(parser.issueCount - maxIssues) more problems in this file not shown"))
    }
    issues += parser.issues
    return parser.labels
  }

  private struct Parser {
    let bytes: [UInt8]
    let file: String
    var issues: [ConfigIssue] = []
    var issueCount = 0
    var labels = FrameLabels()

    init(bytes: [UInt8], file: String) {
      self.bytes = bytes
      self.file = file
    }

    mutating func problem(_ line: Int, _ column: Int, _ message: String, hint: String? = nil) {
      issueCount += 1
      guard issueCount <= LabelsCSV.maxIssues else { return }
      issues.append(
        ConfigIssue(
          location: SourceLocation(file: file, line: line, column: column), message: message,
          hint: hint))
    }

    /// 2 or 4 once the header is read; 0 before.
    private var columns = 0
    private var nextFrame = 0
    private var previousIn = 0
    private var previousOut = 0
    private static let headerHint = "the first line must be frame,count or frame,count,in,out"

    mutating func run() {
      var start = 0
      // Excel and some editors start UTF-8 files with a byte order mark.
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
      var line = 0
      var fields: [Range<Int>] = []
      while start < bytes.count {
        var end = start
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        line += 1
        var lineEnd = end
        if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let text = start..<lineEnd
        start = end + 1
        split(text, into: &fields)
        if fields.count == 1 && fields[0].isEmpty { continue }
        if columns == 0 {
          guard header(fields, line: line, text: text) else { return }
          continue
        }
        if labels.count == LabelsCSV.maxRows {
          problem(
            line, 1, "more than \(LabelsCSV.maxRows) rows",
            hint: "a clip holds at most \(LabelsCSV.maxRows) frames")
          return
        }
        row(fields, line: line, lineStart: text.lowerBound)
      }
      if columns == 0 {
        problem(0, 0, "the labels file is empty", hint: Self.headerHint)
      }
    }

    /// Reads the header line; false (after an issue) when it is not one.
    private mutating func header(_ fields: [Range<Int>], line: Int, text: Range<Int>) -> Bool {
      let names = fields.map { String(decoding: bytes[$0], as: UTF8.self).lowercased() }
      switch names {
      case ["frame", "count"]: columns = 2
      case ["frame", "count", "in", "out"]: columns = 4
      default:
        if integer(fields[0]) != nil {
          problem(line, 1, "the header line is missing", hint: Self.headerHint)
        } else if names.starts(with: ["frame", "count"]) && names.count == 3 {
          problem(
            line, fields[2].lowerBound - text.lowerBound + 1,
            "the in and out columns come together", hint: "write frame,count,in,out or frame,count")
        } else if names[0].hasPrefix("frame") {
          problem(line, 1, "unexpected header '\(quotable(text))'", hint: Self.headerHint)
        } else {
          // Not a labels file at all (the wrong file named): described, never quoted.
          problem(
            line, 1, "this is not a labels file: its first line is not a header",
            hint: Self.headerHint)
        }
        return false
      }
      return true
    }

    /// Reads one row after the header.
    private mutating func row(_ fields: [Range<Int>], line: Int, lineStart: Int) {
      func column(_ field: Range<Int>) -> Int { field.lowerBound - lineStart + 1 }
      // The frame number is checked first, even on a row with other problems, so one bad
      // row is one issue and does not shift every row after it.
      let frame = integer(fields[0])
      if let frame {
        if frame != nextFrame {
          problem(
            line, column(fields[0]), "expected frame \(nextFrame), found \(frame)",
            hint: "rows list frames 0, 1, 2, … in order, one row each")
        }
        // A gap resynchronises after the row; a repeat keeps waiting for the missing frame.
        nextFrame = max(nextFrame, frame + 1)
      }
      guard fields.count == columns else {
        let expected = columns == 4 ? "frame,count,in,out" : "frame,count"
        problem(line, 1, "expected \(columns) fields (\(expected)), found \(fields.count)")
        return
      }
      var values: [Int] = []
      values.reserveCapacity(columns)
      let names = ["frame", "count", "in", "out"]
      for (i, field) in fields.enumerated() {
        guard let value = integer(field) else {
          problem(
            line, column(field),
            "\(names[i]) must be a whole number 0 or more, found '\(quotable(field))'")
          return
        }
        values.append(value)
      }
      guard let frame else { return }
      var label = FrameLabel(frame: frame, count: values[1])
      if columns == 4 {
        let (inCount, outCount) = (values[2], values[3])
        if inCount < previousIn {
          problem(
            line, column(fields[2]), "in went down from \(previousIn) to \(inCount)",
            hint: "in and out are cumulative crossings and never decrease")
        }
        if outCount < previousOut {
          problem(
            line, column(fields[3]), "out went down from \(previousOut) to \(outCount)",
            hint: "in and out are cumulative crossings and never decrease")
        }
        // Compared with the row before, so one mistyped row is one issue, not a cascade.
        previousIn = inCount
        previousOut = outCount
        label.inCount = inCount
        label.outCount = outCount
      }
      // After a bad row the labels no longer line up with frames; the issues are thrown anyway.
      if frame == labels.count { labels.append(label) }
    }

    /// The bytes of `range` as a short excerpt for a message, however long the range is.
    private func quotable(_ range: Range<Int>) -> String {
      // Enough bytes for one character past the limit, so a longer field is shown as cut.
      let head = bytes[range].prefix(4 * TerminalText.excerptLimit + 4)
      return TerminalText.excerpt(String(decoding: head, as: UTF8.self))
    }

    /// Splits a line at commas into trimmed field ranges.
    private func split(_ range: Range<Int>, into fields: inout [Range<Int>]) {
      fields.removeAll(keepingCapacity: true)
      var fieldStart = range.lowerBound
      var i = range.lowerBound
      while i <= range.upperBound {
        if i == range.upperBound || bytes[i] == UInt8(ascii: ",") {
          var a = fieldStart
          var b = i
          while a < b && (bytes[a] == 0x20 || bytes[a] == 0x09) { a += 1 }
          while b > a && (bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09) { b -= 1 }
          fields.append(a..<b)
          fieldStart = i + 1
        }
        i += 1
      }
    }

    /// A non-negative decimal of at most nine digits.
    private func integer(_ field: Range<Int>) -> Int? {
      guard !field.isEmpty, field.count <= 9 else { return nil }
      var value = 0
      for i in field {
        let d = bytes[i] &- 0x30
        guard d <= 9 else { return nil }
        value = value * 10 + Int(d)
      }
      return value
    }
  }
}

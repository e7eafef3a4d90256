// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What a MOT Challenge `seqinfo.ini` says about a sequence.
///
/// ```ini
/// [Sequence]
/// name=MOT17-02-SDP
/// imDir=img1
/// frameRate=30
/// seqLength=600
/// imWidth=1920
/// imHeight=1080
/// imExt=.jpg
/// ```
public struct MOTSequenceInfo: Sendable, Equatable {
  /// The sequence name, when given.
  public var name: String?
  /// `seqLength`: frames in the sequence.
  public var frameCount: Int
  public var width: Int
  public var height: Int
  public var fps: Double
  /// Image folder relative to the sequence folder (`img1` when not given).
  public var imageDirectory: String
  /// Image file extension with its dot (`.jpg` when not given).
  public var imageExtension: String

  /// Sequence facts as `seqinfo.ini` states them.
  public init(
    name: String? = nil, frameCount: Int, width: Int, height: Int, fps: Double,
    imageDirectory: String = "img1", imageExtension: String = ".jpg"
  ) {
    self.name = name
    self.frameCount = frameCount
    self.width = width
    self.height = height
    self.fps = fps
    self.imageDirectory = imageDirectory
    self.imageExtension = imageExtension
  }

  /// A `seqinfo.ini` is a dozen short lines.
  public static let maxBytes = 64 << 10

  /// Reads `seqinfo.ini`.
  public static func load(_ url: URL, files: any FileAccess) throws
    -> MOTSequenceInfo
  {
    let text = try readText(
      url, limit: maxBytes, what: "the MOT sequence description",
      hint: "check that the file exists and is UTF-8 text", files: files)
    return try parse(text, file: url.displayPath)
  }

  /// The UTF-8 text of a file of the sequence, read with `limit`; every way it cannot be read is
  /// one issue naming the file.
  static func readText(
    _ url: URL, limit: Int, what: String, hint: String, files: any FileAccess
  ) throws(ConfigError) -> String {
    let issue: (String, String) -> ConfigError = { message, hint in
      ConfigError([
        ConfigIssue(location: SourceLocation(file: url.displayPath), message: message, hint: hint)
      ])
    }
    let bytes: [UInt8]
    do {
      bytes = try files.read(url.path, limit: limit)
    } catch .missing {
      throw issue("cannot read \(what): not found", hint)
    } catch {
      throw issue("cannot read \(what): it \(error)", error.hint)
    }
    guard let text = String(bytes: bytes, encoding: .utf8) else {
      throw issue("\(what) is not UTF-8 text", "is this the right file?")
    }
    return text
  }

  /// Parses the text of a `seqinfo.ini`; `file` names it in issues. Every problem is reported.
  public static func parse(_ text: String, file: String = "seqinfo.ini") throws(ConfigError)
    -> MOTSequenceInfo
  {
    var issues: [ConfigIssue] = []
    let values = keyValues(text, file: file, into: &issues)

    func number(_ key: String, _ display: String, in range: ClosedRange<Double>) -> Double? {
      guard let entry = values[key.lowercased()] else {
        issues.append(
          ConfigIssue(
            location: SourceLocation(file: file), message: "'\(display)' is missing",
            hint: "add a line '\(display)=…' under [Sequence]"))
        return nil
      }
      guard let value = Double(entry.value), value.isFinite, range.contains(value) else {
        issues.append(
          ConfigIssue(
            location: SourceLocation(file: file, line: entry.line, column: entry.column),
            path: display,
            message:
              "expected a number from \(MetricFormat.number(range.lowerBound)) to "
              + "\(MetricFormat.number(range.upperBound)), found '\(TerminalText.excerpt(entry.value))'"))
        return nil
      }
      return value
    }
    func whole(_ key: String, upTo limit: Int) -> Int? {
      guard let value = number(key, key, in: 1...Double(limit)) else { return nil }
      guard value == value.rounded() else {
        let entry = values[key.lowercased()]
        issues.append(
          ConfigIssue(
            location: SourceLocation(
              file: file, line: entry?.line ?? 0, column: entry?.column ?? 0),
            path: key,
            message: "expected a whole number, found '\(TerminalText.excerpt(entry?.value ?? ""))'"))
        return nil
      }
      return Int(value)
    }

    // The bounds of clip.yaml: a clip made from the sequence must load.
    let frameCount = whole("seqLength", upTo: MOTImporter.maxFrames)
    let width = whole("imWidth", upTo: 8192)
    let height = whole("imHeight", upTo: 8192)
    let fps = number("frameRate", "frameRate", in: 0.01...1000)
    guard issues.isEmpty, let frameCount, let width, let height, let fps else {
      throw ConfigError(issues)
    }
    var imageExtension = values["imext"]?.value ?? ".jpg"
    if !imageExtension.hasPrefix(".") { imageExtension = "." + imageExtension }
    return MOTSequenceInfo(
      name: values["name"]?.value, frameCount: frameCount, width: width, height: height, fps: fps,
      imageDirectory: values["imdir"]?.value ?? "img1", imageExtension: imageExtension)
  }

  /// A value of seqinfo.ini and where it starts.
  private typealias Entry = (value: String, line: Int, column: Int)

  /// The `key=value` lines of seqinfo.ini by lowercased key; sections and comments are skipped.
  private static func keyValues(
    _ text: String, file: String, into issues: inout [ConfigIssue]
  ) -> [String: Entry] {
    var values: [String: Entry] = [:]
    var lineNumber = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix(";") || trimmed.hasPrefix("#")
        || trimmed.hasPrefix("[")
      {
        continue
      }
      guard let equals = line.firstIndex(of: "=") else {
        issues.append(
          ConfigIssue(
            location: SourceLocation(file: file, line: lineNumber, column: 1),
            message: "expected 'key=value', found '\(TerminalText.excerpt(trimmed))'"))
        continue
      }
      let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      let valueStart = line.index(after: equals)
      let leading = line[valueStart...].prefix { $0 == " " || $0 == "\t" }.count
      let column = line.distance(from: line.startIndex, to: valueStart) + leading + 1
      values[key] = (
        line[valueStart...].trimmingCharacters(in: .whitespaces), lineNumber, column
      )
    }
    return values
  }
}

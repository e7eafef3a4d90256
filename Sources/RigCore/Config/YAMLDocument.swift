// SPDX-License-Identifier: Apache-2.0
import Foundation
import Yams

/// A YAML configuration file composed into a node tree, behind the guards that keep a broken or
/// hostile file from hanging rig: a size cap, a check on alias keys, and a cap on the number of
/// nodes the tree expands to.
struct YAMLDocument {
  /// Configuration files are small; anything bigger is the wrong file (a frame dump, a log).
  static let maxBytes = 1 << 20
  /// Nodes a document may expand to, counting an alias at every use: stops alias bombs.
  static let maxNodes = 100_000

  var url: URL
  /// The file as messages name it.
  var file: String
  var root: Node

  /// Reads and composes `url`; on any problem appends it to `issues` and returns nil.
  static func load(
    _ url: URL, what: String, reference: ConfigFileReader.Reference? = nil,
    files: any FileAccess, into issues: inout [ConfigIssue]
  ) -> YAMLDocument? {
    let file = url.displayPath
    guard
      let bytes = ConfigFileReader.read(
        url, what: what, maxBytes: maxBytes, reference: reference, files: files, into: &issues)
    else { return nil }
    guard let text = String(bytes: bytes, encoding: .utf8) else {
      issues.append(
        ConfigIssue(
          location: SourceLocation(file: file), message: "\(what) is not UTF-8 text",
          hint: "save it as UTF-8"))
      return nil
    }
    if let finding = YAMLKeyGuard.scan(text) {
      issues.append(
        ConfigIssue(
          location: SourceLocation(file: file, line: finding.line, column: finding.column),
          message: finding.message,
          hint: "keys are plain names; anchors and aliases may only stand for values"))
      return nil
    }
    let root: Node?
    do {
      switch try YAMLDuplicateKeys.compose(text) {
      case .composed(let composed):
        root = composed
      case .repeats(let repeats, let more):
        issues += repeats.map { repeatIssue($0, file: file) }
        if more {
          issues.append(
            ConfigIssue(
              location: SourceLocation(file: file),
              message: "more keys appear twice in one mapping than are shown",
              hint: "fix these and validate again"))
        }
        return nil
      case .unplaced(let keys):
        let names = keys.map { $0 == "<uncovertable>" ? "a collection" : $0.isEmpty ? "an empty key" : "'\(TerminalText.excerpt($0))'" }
        issues.append(
          ConfigIssue(
            location: SourceLocation(file: file),
            message: "keys appear twice in one mapping: " + names.joined(separator: ", "),
            hint: "rig's files use plain names as keys, each once in a mapping"))
        return nil
      }
    } catch let error as YamlError {
      issues.append(syntaxIssue(error, file: file, text: text))
      return nil
    } catch {
      issues.append(
        ConfigIssue(location: SourceLocation(file: file), message: "invalid YAML: \(error)"))
      return nil
    }
    guard let root else {
      issues.append(
        ConfigIssue(
          location: SourceLocation(file: file), message: "\(what) is empty",
          hint: "see docs/configuration.md for what it must contain"))
      return nil
    }
    var visited = 0
    guard countNodes(root, visited: &visited) else {
      issues.append(
        ConfigIssue(
          location: SourceLocation(
            file: file, line: root.mark?.line ?? 0, column: root.mark?.column ?? 0),
          message: "the document expands to more than \(maxNodes) nodes",
          hint: "YAML aliases (*name) that repeat large anchors multiply; write the values out"))
      return nil
    }
    return YAMLDocument(url: url, file: file, root: root)
  }

  /// Counts nodes depth-first, aliases at every use; false as soon as the cap is passed.
  private static func countNodes(_ node: Node, visited: inout Int) -> Bool {
    visited += 1
    if visited > maxNodes { return false }
    switch node {
    case .scalar, .alias: return true
    case .sequence(let sequence):
      for child in sequence where !countNodes(child, visited: &visited) { return false }
    case .mapping(let mapping):
      for (key, value) in mapping {
        guard countNodes(key, visited: &visited), countNodes(value, visited: &visited) else {
          return false
        }
      }
    }
    return true
  }

  /// One issue for a Yams parse failure, at libyaml's problem mark, with a hint for the usual
  /// causes.
  static func syntaxIssue(_ error: YamlError, file: String, text: String) -> ConfigIssue {
    func at(_ mark: Mark, _ message: String, hint: String? = nil) -> ConfigIssue {
      ConfigIssue(
        location: SourceLocation(file: file, line: mark.line, column: mark.column),
        message: message, hint: hint)
    }
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      var message = "invalid YAML: \(problem)"
      if let context {
        message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
      }
      return at(mark, message, hint: syntaxHint(problem, mark: mark, text: text))
    case .reader(let problem, let offset, _, _):
      let (line, column) = offset.map { lineAndColumn(ofByte: $0, in: text) } ?? (0, 0)
      return ConfigIssue(
        location: SourceLocation(file: file, line: line, column: column),
        message: "invalid YAML: \(problem)", hint: "save the file as UTF-8 text")
    default:
      return ConfigIssue(location: SourceLocation(file: file), message: "invalid YAML: \(error)")
    }
  }

  /// A key written twice in one mapping, reported where it is written again.
  static func repeatIssue(_ found: YAMLDuplicateKeys.Repeat, file: String) -> ConfigIssue {
    ConfigIssue(
      location: SourceLocation(file: file, line: found.at.line, column: found.at.column),
      message:
        (found.key.isEmpty ? "an empty key" : "key '\(TerminalText.excerpt(found.key))'")
        + " appears again in this mapping "
        + "(first at line \(found.first.line), column \(found.first.column))",
      hint: "keep one; other tools would silently use the last")
  }

  private static func syntaxHint(_ problem: String, mark: Mark, text: String) -> String? {
    let character = character(at: mark, in: text)
    if problem.contains("cannot start any token") {
      if character == "\t" { return "indent with spaces; YAML does not allow tabs" }
      if let character { return "put the value in quotes if it starts with '\(character)'" }
    }
    if problem.contains("mapping values are not allowed") {
      return "put values that contain ': ' in quotes"
    }
    if problem.contains("did not find expected key") || problem.contains("expected <block end>")
      || problem.contains("expected '-' indicator")
    {
      return "check the indentation of this line and the lines above it"
    }
    if problem.contains("end of stream") {
      return "a quoted value or bracket is not closed"
    }
    if problem.contains("undefined alias") { return "define the anchor (&name) before its alias" }
    if problem.contains("another document") { return "a file holds one document; remove '---'" }
    if problem.contains("could not find expected ':'") {
      return "a key needs ': ' after it; check for a missing colon or an unclosed quote"
    }
    return nil
  }

  private static func character(at mark: Mark, in text: String) -> Character? {
    var line = 1
    var lineStart = text.startIndex
    var i = text.startIndex
    while line < mark.line, i < text.endIndex {
      if text[i] == "\n" {
        line += 1
        lineStart = text.index(after: i)
      }
      i = text.index(after: i)
    }
    let scalars = text[lineStart...].unicodeScalars
    guard
      let index = scalars.index(
        scalars.startIndex, offsetBy: mark.column - 1,
        limitedBy: scalars.endIndex), index < scalars.endIndex
    else { return nil }
    return Character(scalars[index])
  }

  private static func lineAndColumn(ofByte offset: Int, in text: String) -> (Int, Int) {
    var line = 1
    var column = 1
    for byte in text.utf8.prefix(offset) {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return (line, column)
  }
}

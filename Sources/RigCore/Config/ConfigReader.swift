// SPDX-License-Identifier: Apache-2.0
import Foundation
import Yams

/// Reads typed values out of a composed YAML tree and records an issue for every value that is
/// missing, of the wrong type or out of range, so that one pass reports all of them.
///
/// Every reader returns nil after recording an issue; callers substitute a default and carry on,
/// and the loader throws at the end when any issue was recorded.
final class ConfigReader {
  /// The file as messages name it.
  let file: String
  /// How the files a value names (a flashloader, a firmware image) are looked at and read.
  let files: any FileAccess
  private(set) var issues: [ConfigIssue] = []

  init(file: String, files: any FileAccess) {
    self.file = file
    self.files = files
  }

  func location(of node: Node?) -> SourceLocation {
    guard let mark = node?.mark else { return SourceLocation(file: file) }
    return SourceLocation(file: file, line: mark.line, column: mark.column)
  }

  func report(_ node: Node?, _ path: String, _ message: String, hint: String? = nil) {
    issues.append(
      ConfigIssue(location: location(of: node), path: path, message: message, hint: hint))
  }

  // MARK: Structure

  /// The mapping at `node` with its keys checked: unknown keys get a did-you-mean hint and
  /// missing required keys are reported. A null node (`simulated:` with nothing after it) is an
  /// empty mapping. `<<: *anchor` merge keys are honoured, the mapping's own keys winning.
  func table(
    _ node: Node, at path: String, keys: [String], required: [String] = [],
    what: String = "a mapping of keys to values"
  ) -> ConfigTable? {
    var table = ConfigTable(node: node, path: path, entries: [:])
    if Self.isNull(node) {
      reportMissing(required, in: table)
      return table
    }
    guard case .mapping(let mapping) = node else {
      report(node, path, "expected \(what), found \(describe(node))")
      return nil
    }
    var merged: [(key: Node, value: Node)] = []
    for (key, value) in mapping {
      guard case .scalar(let scalar) = key else {
        report(key, path, "a key must be a plain name, found \(describe(key))")
        continue
      }
      let name = scalar.string
      if name == "<<" && scalar.style != .singleQuoted && scalar.style != .doubleQuoted {
        merged += mergeSources(value, at: path)
        continue
      }
      guard keys.contains(name) else {
        let shown = TerminalText.excerpt(name)
        report(
          key, ConfigTable.join(path, shown), "unknown key '\(shown)'",
          hint: KeySuggestion.hint(for: name, validChoices: keys))
        continue
      }
      table.entries[name] = ConfigTable.Entry(key: key, value: value)
    }
    for (key, value) in merged {
      guard let name = key.scalar?.string, table.entries[name] == nil else { continue }
      guard keys.contains(name) else {
        let shown = TerminalText.excerpt(name)
        report(
          key, ConfigTable.join(path, shown), "unknown key '\(shown)' (merged with <<)",
          hint: KeySuggestion.hint(for: name, validChoices: keys))
        continue
      }
      table.entries[name] = ConfigTable.Entry(key: key, value: value)
    }
    reportMissing(required, in: table)
    return table
  }

  private func reportMissing(_ required: [String], in table: ConfigTable) {
    for key in required where table.entries[key] == nil {
      report(table.node, table.path(key), "missing required key '\(key)'")
    }
  }

  private func mergeSources(_ node: Node, at path: String) -> [(key: Node, value: Node)] {
    switch node {
    case .mapping(let mapping):
      return Array(mapping)
    case .sequence(let sequence):
      return sequence.flatMap { mergeSources($0, at: path) }
    default:
      report(node, ConfigTable.join(path, "<<"), "'<<' merges a mapping, found \(describe(node))")
      return []
    }
  }

  /// The items of the list at `node`; `what` completes "expected a list of …".
  func list(_ node: Node, at path: String, of what: String) -> [Node]? {
    guard case .sequence(let sequence) = node else {
      report(node, path, "expected a list of \(what), found \(describe(node))")
      return nil
    }
    return Array(sequence)
  }

  // MARK: Scalars

  /// Text, of any scalar style; nothing (`key:` with no value) is an error.
  func string(_ node: Node, at path: String, what: String = "text") -> String? {
    guard case .scalar(let scalar) = node, !Self.isNull(node) else {
      report(node, path, "expected \(what), found \(describe(node))")
      return nil
    }
    return scalar.string
  }

  /// Non-empty text.
  func text(_ node: Node, at path: String, what: String = "text") -> String? {
    guard let s = string(node, at: path, what: what) else { return nil }
    guard !s.trimmingCharacters(in: .whitespaces).isEmpty else {
      report(node, path, "expected \(what), found an empty string")
      return nil
    }
    return s
  }

  /// A name made of letters, digits, `.`, `_` and `-`, as test, suite and rig names are.
  func name(_ node: Node, at path: String, what: String = "a name") -> String? {
    guard let s = string(node, at: path, what: what) else { return nil }
    guard Self.isName(s) else {
      report(
        node, path, "'\(TerminalText.excerpt(s))' is not a valid name",
        hint: "use letters, digits, '.', '_' and '-' only, such as corridor-day")
      return nil
    }
    return s
  }

  static func isName(_ s: String) -> Bool {
    !s.isEmpty
      && s.unicodeScalars.allSatisfy {
        ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
          || $0 == "." || $0 == "_" || $0 == "-"
      }
  }

  /// A whole number written as one (`42`, `600_000_000`), within `range`.
  func int(_ node: Node, at path: String, in range: ClosedRange<Int>) -> Int? {
    guard let literal = numberLiteral(node, at: path, expected: "a whole number") else {
      return nil
    }
    let digits = literal.replacingOccurrences(of: "_", with: "")
    guard let value = Int(digits) else {
      if Double(digits) != nil {
        report(node, path, "expected a whole number, found \(literal)")
      } else {
        report(node, path, "expected a whole number, found \(describe(node))")
      }
      return nil
    }
    guard range.contains(value) else {
      report(node, path, "\(value) is out of range", hint: "allowed: \(describe(range))")
      return nil
    }
    return value
  }

  /// A non-negative whole number up to `UInt64.max` (seeds).
  func uint64(_ node: Node, at path: String) -> UInt64? {
    guard let literal = numberLiteral(node, at: path, expected: "a whole number") else {
      return nil
    }
    guard let value = UInt64(literal.replacingOccurrences(of: "_", with: "")) else {
      report(
        node, path, "expected a whole number from 0 to \(UInt64.max), found \(describe(node))")
      return nil
    }
    return value
  }

  /// A finite number within `range`.
  func double(_ node: Node, at path: String, in range: ClosedRange<Double>) -> Double? {
    guard let literal = numberLiteral(node, at: path, expected: "a number") else { return nil }
    guard let value = Double(literal.replacingOccurrences(of: "_", with: "")), value.isFinite
    else {
      report(node, path, "expected a number, found \(describe(node))")
      return nil
    }
    guard range.contains(value) else {
      report(
        node, path, "\(MetricFormat.number(value)) is out of range",
        hint: "allowed: \(describe(range))")
      return nil
    }
    return value
  }

  /// A duration such as `30s`, at least `minimum` and at most `maximum`.
  func duration(
    _ node: Node, at path: String, minimum: Duration = .zero, maximum: Duration = .seconds(86_400)
  ) -> Duration? {
    let example = "a duration such as 30s, 500ms or 1m30s"
    guard case .scalar(let scalar) = node, !Self.isNull(node) else {
      report(node, path, "expected \(example), found \(describe(node))")
      return nil
    }
    guard let value = DurationParser.parse(scalar.string) else {
      let bareNumber = Double(scalar.string) != nil
      report(
        node, path, "expected \(example), found \(describe(node))",
        hint: bareNumber ? "add a unit: \(scalar.string)s or \(scalar.string)ms" : nil)
      return nil
    }
    guard value >= minimum, value <= maximum else {
      let bounds =
        minimum == .zero
        ? "at most \(DurationParser.format(maximum))"
        : "from \(DurationParser.format(minimum)) to \(DurationParser.format(maximum))"
      report(node, path, "\(scalar.string) is out of range", hint: "allowed: \(bounds)")
      return nil
    }
    return value
  }

  /// `true` or `false` (YAML 1.1's `yes`/`no`/`on`/`off` too).
  func bool(_ node: Node, at path: String) -> Bool? {
    if let value = Self.boolValue(node) { return value }
    report(node, path, "expected true or false, found \(describe(node))")
    return nil
  }

  /// The value of an unquoted boolean, without reporting anything when it is not one.
  static func boolValue(_ node: Node) -> Bool? {
    guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else {
      return nil
    }
    switch scalar.string.lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default: return nil
    }
  }

  /// The text of a plain scalar that should be a number; quoted numbers get a hint.
  private func numberLiteral(_ node: Node, at path: String, expected: String) -> String? {
    guard case .scalar(let scalar) = node, !Self.isNull(node) else {
      report(node, path, "expected \(expected), found \(describe(node))")
      return nil
    }
    if scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
      let looksNumeric = Double(scalar.string.replacingOccurrences(of: "_", with: "")) != nil
      report(
        node, path, "expected \(expected), found the text \(describe(node))",
        hint: looksNumeric ? "remove the quotes" : nil)
      return nil
    }
    return scalar.string
  }

  // MARK: Describing what was found

  /// Null in the YAML sense: an empty plain value, `~` or `null`.
  static func isNull(_ node: Node) -> Bool {
    guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else {
      return false
    }
    return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
  }

  /// A short rendering of a node for messages: `[1, 2]`, `{a: b}`, `"30"`, `nothing`.
  func describe(_ node: Node) -> String {
    if Self.isNull(node) { return "nothing" }
    var budget = 40
    let s = render(node, budget: &budget)
    return budget < 0 ? s + "…" : s
  }

  private func render(_ node: Node, budget: inout Int) -> String {
    guard budget >= 0 else { return "" }
    var out: String
    switch node {
    case .scalar(let scalar):
      let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
      out = quoted ? "\"\(scalar.string)\"" : scalar.string
      if out.contains("\n") { out = out.replacingOccurrences(of: "\n", with: "\\n") }
      if out.count > budget { out = String(out.prefix(max(0, budget))) }
      budget -= max(1, out.count)
      return out
    case .sequence(let sequence):
      out = "["
      budget -= 2
      for (i, item) in sequence.enumerated() {
        if budget < 0 { break }
        if i > 0 { out += ", " }
        out += render(item, budget: &budget)
      }
      return budget < 0 ? out : out + "]"
    case .mapping(let mapping):
      out = "{"
      budget -= 2
      for (i, pair) in mapping.enumerated() {
        if budget < 0 { break }
        if i > 0 { out += ", " }
        out += render(pair.key, budget: &budget) + ": " + render(pair.value, budget: &budget)
      }
      return budget < 0 ? out : out + "}"
    case .alias:
      return "an alias"
    }
  }

  private func describe(_ range: ClosedRange<Int>) -> String {
    if range.upperBound == Int.max { return "\(range.lowerBound) or more" }
    return "\(range.lowerBound) to \(range.upperBound)"
  }

  private func describe(_ range: ClosedRange<Double>) -> String {
    if range.upperBound == .greatestFiniteMagnitude {
      return "\(MetricFormat.number(range.lowerBound)) or more"
    }
    return "\(MetricFormat.number(range.lowerBound)) to \(MetricFormat.number(range.upperBound))"
  }
}

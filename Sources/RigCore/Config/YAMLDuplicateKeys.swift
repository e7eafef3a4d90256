// SPDX-License-Identifier: Apache-2.0
import Yams

/// Composes a YAML document and finds every key repeated in a mapping, each at its repeat,
/// naming where it first appeared.
///
/// Yams refuses a mapping with a repeated key and says only which key, at its first occurrence,
/// for the first such mapping; composing stops there. So each time it refuses, the occurrence it
/// names is renamed in the text to a unique name of the same length (its first character becomes
/// a private-use character, which keeps every line and column in place) and the text is composed
/// again. When it composes, each mapping holding a renamed key is searched for the occurrences
/// of the original name: all but the first are repeats.
enum YAMLDuplicateKeys {
  /// Renames tried before giving up; each costs one compose of the document.
  static let maxRounds = 24

  struct Repeat {
    var key: String
    var at: Mark
    var first: Mark
  }

  enum Outcome {
    /// The document, with no repeated key.
    case composed(Node?)
    /// Every repeated key, in document order; `more` when there were more than could be found.
    case repeats([Repeat], more: Bool)
    /// Several keys repeated in one mapping, among them a collection key or two keys of one text
    /// (they differ in their tags): their
    /// names, sorted. Yams orders such keys by hash (they do not compare), so which one it names
    /// first, and where, changes from one run of rig to the next; naming them all without a
    /// place is the answer that stays the same.
    case unplaced([String])
  }

  /// Composes `text` as `YAMLDocument` does; throws Yams' error for anything but repeated keys.
  static func compose(_ text: String) throws -> Outcome {
    var scalars = Array(text.unicodeScalars)
    var renamed: [Unicode.Scalar: (key: String, mark: Mark)] = [:]
    // The first repeat Yams named, reported on its own when the search after renaming finds
    // nothing: an empty key (`?` alone) has no text, so renaming cannot mark it.
    var named: Repeat?
    for round in 0...maxRounds {
      do {
        // Tags are never consulted (values are read from their text), so the basic resolver
        // spares a regular-expression match per key when Yams checks for duplicate keys.
        let source = round == 0 ? text : String(String.UnicodeScalarView(scalars))
        let root = try Yams.compose(yaml: source, .basic, .default, .utf8)
        if renamed.isEmpty { return .composed(root) }
        let found = root.map { repeats(in: $0, renamed: renamed) } ?? []
        return .repeats(found.isEmpty ? named.map { [$0] } ?? [] : found, more: false)
      } catch YamlError.duplicatedKeysInMapping(let keys, let context) {
        if keys.count > 1, keys.contains("<uncovertable>") || Set(keys).count < keys.count {
          return .unplaced(keys.sorted())
        }
        guard round < maxRounds, let key = keys.first,
          let marker = Unicode.Scalar(0xE000 + UInt32(round)),
          rename(at: context.mark, to: marker, in: &scalars)
        else {
          // Nothing more can be located: what was found, and the key Yams names.
          let first = Repeat(key: keys.first ?? "", at: context.mark, first: context.mark)
          return .repeats(renamed.isEmpty ? [first] : [], more: !renamed.isEmpty)
        }
        renamed[marker] = (key, context.mark)
        if named == nil { named = Repeat(key: key, at: context.mark, first: context.mark) }
      }
    }
    return .repeats([], more: true)
  }

  /// Replaces the first character of the key that starts at `mark` with `marker`.
  private static func rename(at mark: Mark, to marker: Unicode.Scalar, in s: inout [Unicode.Scalar])
    -> Bool
  {
    guard var i = offset(of: mark, in: s) else { return false }
    // An anchor or tag before the key: `&name key:` or `!!str key:`.
    while i < s.count, s[i] == "&" || s[i] == "!" {
      while i < s.count, s[i] != " " && s[i] != "\t" { i += 1 }
      while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 }
    }
    guard i < s.count else { return false }
    if s[i] == "\"" || s[i] == "'" {
      let quote = s[i]
      guard i + 1 < s.count else { return false }
      // An empty quoted key becomes a plain one of the same width.
      if s[i + 1] == quote {
        s[i] = marker
        s[i + 1] = marker
        return true
      }
      i += 1
    }
    s[i] = marker
    return true
  }

  /// The index of `mark` (1-based line and column, counted in scalars as libyaml does, with
  /// its line breaks: LF, CR, CR LF, NEL, LS and PS).
  private static func offset(of mark: Mark, in s: [Unicode.Scalar]) -> Int? {
    var line = 1
    var i = 0
    while line < mark.line, i < s.count {
      switch s[i] {
      case "\r":
        line += 1
        if i + 1 < s.count, s[i + 1] == "\n" { i += 1 }
      case "\n", "\u{85}", "\u{2028}", "\u{2029}":
        line += 1
      default: break
      }
      i += 1
    }
    let index = i + mark.column - 1
    return line == mark.line && index < s.count ? index : nil
  }

  /// The repeats in every mapping of the tree, in document order.
  private static func repeats(
    in root: Node, renamed: [Unicode.Scalar: (key: String, mark: Mark)]
  ) -> [Repeat] {
    var found: [Repeat] = []
    var pending = [root]
    // An anchored mapping reused through aliases is visited at each use; the cap on nodes
    // keeps an alias bomb from making this walk endless.
    var visited = 0
    while let node = pending.popLast(), visited < YAMLDocument.maxNodes {
      visited += 1
      switch node {
      case .scalar, .alias: break
      case .sequence(let sequence): pending += sequence
      case .mapping(let mapping):
        var occurrences: [String: [Mark]] = [:]
        for (key, value) in mapping {
          pending.append(value)
          guard let text = key.scalar?.string, let mark = key.mark else { continue }
          // A renamed key keeps its place, so its mark is where it was written.
          let original = text.unicodeScalars.first.flatMap { renamed[$0]?.key }
          occurrences[original ?? text, default: []].append(mark)
        }
        for (key, marks) in occurrences where marks.count > 1 {
          let ordered = marks.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
          found += ordered.dropFirst().map { Repeat(key: key, at: $0, first: ordered[0]) }
        }
      }
    }
    var seen: Set<String> = []
    return found.filter { seen.insert("\($0.at) \($0.key)").inserted }
      .sorted { ($0.at.line, $0.at.column) < ($1.at.line, $1.at.column) }
  }
}

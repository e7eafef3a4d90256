// SPDX-License-Identifier: Apache-2.0
import Yams

// Readers for an optional key of a checked mapping: nil when the key is absent (the caller
// applies the default) or when its value was wrong (an issue was recorded).
extension ConfigReader {
  func string(_ t: ConfigTable, _ key: String, what: String = "text") -> String? {
    t[key].flatMap { string($0, at: t.path(key), what: what) }
  }

  func text(_ t: ConfigTable, _ key: String, what: String = "text") -> String? {
    t[key].flatMap { text($0, at: t.path(key), what: what) }
  }

  func name(_ t: ConfigTable, _ key: String, what: String = "a name") -> String? {
    t[key].flatMap { name($0, at: t.path(key), what: what) }
  }

  func int(_ t: ConfigTable, _ key: String, in range: ClosedRange<Int>) -> Int? {
    t[key].flatMap { int($0, at: t.path(key), in: range) }
  }

  func uint64(_ t: ConfigTable, _ key: String) -> UInt64? {
    t[key].flatMap { uint64($0, at: t.path(key)) }
  }

  func double(_ t: ConfigTable, _ key: String, in range: ClosedRange<Double>) -> Double? {
    t[key].flatMap { double($0, at: t.path(key), in: range) }
  }

  func duration(
    _ t: ConfigTable, _ key: String, minimum: Duration = .zero,
    maximum: Duration = .seconds(86_400)
  ) -> Duration? {
    t[key].flatMap { duration($0, at: t.path(key), minimum: minimum, maximum: maximum) }
  }

  func bool(_ t: ConfigTable, _ key: String) -> Bool? {
    t[key].flatMap { bool($0, at: t.path(key)) }
  }

  /// A nested mapping under `key`, checked; nil when absent or not a mapping.
  func table(
    _ t: ConfigTable, _ key: String, keys: [String], required: [String] = [],
    what: String = "a mapping of keys to values"
  ) -> ConfigTable? {
    t[key].flatMap { table($0, at: t.path(key), keys: keys, required: required, what: what) }
  }

  /// One of an enum's raw values under `key`; `what` names it in messages ("a pixel format").
  func choice<T: RawRepresentable & CaseIterable>(_ t: ConfigTable, _ key: String, what: String)
    -> T?
  where T.RawValue == String {
    t[key].flatMap { choice($0, at: t.path(key), what: what, among: Array(T.allCases)) }
  }

  /// One of `cases` under `key`.
  func choice<T: RawRepresentable>(
    _ t: ConfigTable, _ key: String, what: String, among cases: [T]
  ) -> T? where T.RawValue == String {
    t[key].flatMap { choice($0, at: t.path(key), what: what, among: cases) }
  }

  /// One of `cases`, by raw value, with a did-you-mean hint over the valid ones.
  func choice<T: RawRepresentable>(_ node: Node, at path: String, what: String, among cases: [T])
    -> T?
  where T.RawValue == String {
    let valid = cases.map(\.rawValue)
    guard let s = string(node, at: path, what: what) else { return nil }
    guard valid.contains(s), let value = T(rawValue: s) else {
      report(
        node, path, "'\(TerminalText.excerpt(s))' is not \(what)",
        hint: KeySuggestion.hint(for: s, validChoices: valid, noun: "values"))
      return nil
    }
    return value
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A quarantine list of known-bad tests (`--quarantine FILE`), as Twister keeps one: each entry
/// names tests, optionally the rigs they are bad on, and why. A listed test is not run and is
/// reported as skipped with the reason, so a known problem neither turns the nightly red nor
/// disappears from the dashboard (docs/ci.md §6):
///
/// ```yaml
/// - tests: [corridor-busy]
///   reason: "FW-1234: over-counts in dense scenes"
/// - tests: [lighting-change]
///   rigs: [bench-02]                  # only there; other rigs still run it
///   reason: "HW-77: bench-02's emulator drops frames at 30 fps"
/// ```
public struct KnownBadTests: Sendable {
  public struct Entry: Sendable {
    public var tests: [String]
    /// Rig names; empty means every rig.
    public var rigs: [String]
    public var reason: String
    public var location: SourceLocation
  }

  public var file: URL
  public var entries: [Entry]

  static let entryKeys = ["tests", "rigs", "reason"]

  public static func load(_ file: URL, files: any FileAccess) throws(ConfigError)
    -> KnownBadTests
  {
    var issues: [ConfigIssue] = []
    let file = file.standardizedFileURL
    guard let document = YAMLDocument.load(file, what: "quarantine list", files: files, into: &issues) else {
      throw ConfigError(issues)
    }
    let r = ConfigReader(file: document.file, files: files)
    var entries: [Entry] = []
    if ConfigReader.isNull(document.root) {
      return KnownBadTests(file: file, entries: [])
    }
    if let items = r.list(document.root, at: "", of: "entries such as { tests: [name], reason: why }") {
      for (index, item) in items.enumerated() {
        let path = "[\(index)]"
        guard
          let t = r.table(
            item, at: path, keys: entryKeys, required: ["tests", "reason"],
            what: "an entry such as { tests: [corridor-busy], reason: \"FW-1234\" }")
        else { continue }
        let tests = r.names(t, "tests", what: "test names") ?? []
        let rigs = r.names(t, "rigs", what: "rig names") ?? []
        guard let reason = r.text(t, "reason", what: "why the tests are quarantined") else { continue }
        entries.append(Entry(tests: tests, rigs: rigs, reason: reason, location: r.location(of: item)))
      }
    }
    guard r.issues.isEmpty else { throw ConfigError(IssueOrder.arrange(r.issues)) }
    return KnownBadTests(file: file, entries: entries)
  }

  /// Names the list gives that `tests` does not have: a stale entry, worth a warning.
  public func unknownNames(in tests: [TestCase]) -> [String] {
    let known = Set(tests.map(\.name))
    var seen = Set<String>()
    return entries.flatMap(\.tests).filter { !known.contains($0) && seen.insert($0).inserted }
  }

  /// `tests` with the listed ones skipped (everywhere) or kept off the rigs named.
  public func apply(to tests: [TestCase]) -> [TestCase] {
    tests.map { test in
      var test = test
      for entry in entries where entry.tests.contains(test.name) {
        let why = "quarantined: \(entry.reason) (\(file.displayPath):\(entry.location.line))"
        if entry.rigs.isEmpty {
          if test.skipReason == nil { test.skipReason = why }
        } else {
          for rig in entry.rigs where test.quarantinedOn[rig] == nil { test.quarantinedOn[rig] = why }
        }
      }
      return test
    }
  }
}

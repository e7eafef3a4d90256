// SPDX-License-Identifier: Apache-2.0
import Foundation
import Yams

/// What can still be read of a suite file that does not load (a clip missing, a limit
/// misspelt): its name and its tests' names and tags, so a run that cannot start still reports
/// each selected test as errored with the reason, as CI expects (docs/ci.md §2).
///
/// When not even that can be read (the file is missing, or is not YAML), the outline is one test
/// named `suite` under the file's base name: the junit.xml still says what went wrong, under a
/// name that stays the same from night to night.
public struct SuiteOutline: Sendable {
  public var name: String
  public var tests: [(name: String, tags: [String])]
  /// Whether the tests are the suite's own, or the stand-in for a file that could not be read.
  public var isReadable: Bool

  /// The stand-in test's name when the suite's tests cannot be read.
  public static let standIn = "suite"

  public static func read(_ file: URL, files: any FileAccess) -> SuiteOutline {
    var ignored: [ConfigIssue] = []
    let fallback = file.deletingPathExtension().lastPathComponent
    guard let document = YAMLDocument.load(
      file.standardizedFileURL, what: "suite file", files: files, into: &ignored),
      case .mapping(let root) = document.root
    else {
      return SuiteOutline(name: fallback, tests: [(standIn, [])], isReadable: false)
    }
    let name = root["suite"]?.scalar?.string.trimmingCharacters(in: .whitespaces)
    var tests: [(name: String, tags: [String])] = []
    if case .sequence(let items)? = root["tests"] {
      for item in items {
        guard let testName = item["name"]?.scalar?.string, ConfigReader.isName(testName),
          !tests.contains(where: { $0.name == testName })
        else { continue }
        let tags: [String] =
          if case .sequence(let list)? = item["tags"] { list.compactMap { $0.scalar?.string } } else { [] }
        tests.append((testName, tags))
      }
    }
    let suiteName = name.flatMap { ConfigReader.isName($0) ? $0 : nil } ?? fallback
    guard !tests.isEmpty else {
      return SuiteOutline(name: suiteName, tests: [(standIn, [])], isReadable: false)
    }
    return SuiteOutline(name: suiteName, tests: tests, isReadable: true)
  }

  /// The tests `--only` and `--tag` select, as `TestSelection` would; all of them when the
  /// selection names none of them (a run that cannot start reports rather too much than nothing).
  public func selected(only: [String], tags: [String]) -> [String] {
    guard isReadable else { return tests.map(\.name) }
    let chosen = tests.filter { test in
      (only.isEmpty || only.contains(test.name)) && (tags.isEmpty || !Set(tags).isDisjoint(with: test.tags))
    }
    return (chosen.isEmpty ? tests : chosen).map(\.name)
  }
}

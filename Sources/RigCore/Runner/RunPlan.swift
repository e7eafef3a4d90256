// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What a run will do: which tests of which suite, on which rig, reporting where.
public struct RunPlan: Sendable {
  public var suite: Suite
  /// The tests selected (by `--only` / `--tag`), in suite order.
  public var tests: [TestCase]
  public var rig: RigConfiguration
  public var runID: String
  /// `Reports/<run-id>/`: events, reports and per-test artifacts go here.
  public var reportDirectory: URL
  public var toolVersion: String
  /// Flash the suite's firmware even when the board already runs it (`--force`).
  public var forceFlash = false
  /// Never flash: run on whatever image the board holds, and report which it is (`--no-flash`).
  public var noFlash = false
  /// Where the runner takes its tests from one at a time, when rigs share them; nil runs
  /// `tests` in order.
  public var feed: (any TestFeed)?
  /// More run properties for `run_started`: how the tests were chosen (`shard`, `only_failed`…).
  public var properties: [RunResult.Property] = []
  /// Host, files, board, commit, CI build and clip hashes, recorded in `run_started`.
  public var identity: RunIdentity?
  /// How the run reads the files its suite names (frames, the firmware image).
  public var files: any FileAccess

  public init(
    suite: Suite, tests: [TestCase], rig: RigConfiguration, runID: String, reportDirectory: URL,
    toolVersion: String, files: any FileAccess
  ) {
    self.files = files
    self.suite = suite
    self.tests = tests
    self.rig = rig
    self.runID = runID
    self.reportDirectory = reportDirectory
    self.toolVersion = toolVersion
  }

  /// The folder for one test's attachments, relative to the report folder.
  public static func artifactPath(test: String) -> String { "artifacts/\(test)" }

  /// JUnit classname of every test: the suite name.
  public var classname: String { suite.name }
}

/// Chooses tests by name and tag: `--only a,b` keeps the named tests, `--tag smoke` keeps tests
/// carrying any of the tags. Both together keep tests matching both.
public enum TestSelection {
  public static func select(
    _ tests: [TestCase], only names: [String], tags: [String]
  ) throws(RigError) -> [TestCase] {
    let known = Set(tests.map(\.name))
    let unknown = names.filter { !known.contains($0) }
    if !unknown.isEmpty {
      throw RigError(
        .usage,
        "no test named \(unknown.map { "'\($0)'" }.joined(separator: ", ")) in this suite; tests are: "
          + tests.map(\.name).joined(separator: ", "))
    }
    let selected = tests.filter { test in
      (names.isEmpty || names.contains(test.name))
        && (tags.isEmpty || !Set(tags).isDisjoint(with: test.tags))
    }
    if selected.isEmpty {
      throw RigError(.usage, "no test matches tags \(tags.joined(separator: ", "))")
    }
    return selected
  }
}

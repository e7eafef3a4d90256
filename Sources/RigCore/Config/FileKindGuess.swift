// SPDX-License-Identifier: Apache-2.0
import Yams

/// Tells a suite file from a rig file by its top-level keys, so a file given in the other's
/// place (`rig run Rigs/sim.yaml --rig suite.yaml`) gets one issue saying so, not one per key.
enum FileKindGuess {
  /// The top-level keys of `root`, when it is a mapping.
  static func keys(_ root: Node) -> Set<String> {
    guard case .mapping(let mapping) = root else { return [] }
    return Set(mapping.keys.compactMap { $0.scalar?.string })
  }

  /// An issue when a file read as a suite looks like a rig file.
  static func rigFileReadAsSuite(_ root: Node, file: String) -> ConfigIssue? {
    let keys = keys(root)
    guard !keys.contains("suite"), !keys.contains("tests"), keys.contains("rig") else {
      return nil
    }
    return ConfigIssue(
      location: location(root, file), message: "this looks like a rig file (rig:), not a suite",
      hint: "give the suite first and the rig with --rig, such as rig run suite.yaml --rig "
        + "\(file)")
  }

  /// An issue when a file read as a rig looks like a suite file.
  static func suiteFileReadAsRig(_ root: Node, file: String) -> ConfigIssue? {
    let keys = keys(root)
    guard !keys.contains("rig"), keys.contains("suite") || keys.contains("tests") else {
      return nil
    }
    return ConfigIssue(
      location: location(root, file),
      message: "this looks like a suite file (suite:, tests:), not a rig",
      hint: "the suite is the first argument; --rig takes a rig file or sim")
  }

  private static func location(_ root: Node, _ file: String) -> SourceLocation {
    SourceLocation(file: file, line: root.mark?.line ?? 0, column: root.mark?.column ?? 0)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A pool file: a name and the rig files of the boards one host drives together, so a nightly
/// says `--pool Rigs/farm.yaml` instead of repeating `--rig` (docs/farm.md §1):
///
/// ```yaml
/// pool: farm-a
/// rigs: [bench-01.yaml, bench-02.yaml, bench-03.yaml]   # relative to this file
/// ```
public struct RigPool: Sendable {
  public var name: String
  public var file: URL
  public var rigs: [URL]
}

public enum PoolLoader {
  static let keys = ["pool", "rigs"]

  /// Loads `file`; the rig files it names must exist (they are loaded by the caller).
  public static func load(_ file: URL, files: any FileAccess) throws(ConfigError) -> RigPool {
    var issues: [ConfigIssue] = []
    let file = file.standardizedFileURL
    guard let document = YAMLDocument.load(file, what: "pool file", files: files, into: &issues) else {
      throw ConfigError(issues)
    }
    let r = ConfigReader(file: document.file, files: files)
    guard
      let root = r.table(
        document.root, at: "", keys: keys, required: ["pool", "rigs"],
        what: "a pool (pool: name, rigs: [rig files])")
    else { throw ConfigError(r.issues) }
    let name = r.name(root, "pool", what: "a pool name")
    var rigs: [URL] = []
    if let node = root["rigs"], let items = r.list(node, at: "rigs", of: "rig files") {
      if items.isEmpty { r.report(node, "rigs", "the pool has no rigs", hint: "list its rig files") }
      for (index, item) in items.enumerated() {
        guard let path = r.text(item, at: "rigs[\(index)]", what: "a rig file") else { continue }
        let url = SuiteLoader.resolve(path, against: file.deletingLastPathComponent())
        guard files.kind(of: url.path) != .missing else {
          r.report(item, "rigs[\(index)]", "rig file not found: \(url.path)", hint: "the path is relative to the pool file")
          continue
        }
        if rigs.contains(url) {
          r.report(item, "rigs[\(index)]", "\(path) is listed twice", hint: "list each rig file once")
          continue
        }
        rigs.append(url)
      }
    }
    guard let name, r.issues.isEmpty else { throw ConfigError(IssueOrder.arrange(r.issues)) }
    return RigPool(name: name, file: file, rigs: rigs)
  }
}

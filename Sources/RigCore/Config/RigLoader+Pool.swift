// SPDX-License-Identifier: Apache-2.0
import Foundation

extension RigLoader {
  static let healthKeys = ["suite"]

  /// The keys that matter when rigs share a suite: `tags:` (what tests may require of the rig)
  /// and `health:` (its golden suite, relative to the rig file).
  static func readPoolKeys(_ root: ConfigTable, into rig: inout RigConfiguration, _ r: ConfigReader) {
    rig.tags = r.names(root, "tags", what: "tags the rig offers, such as [evkb, result-pin]") ?? []
    guard
      let health = r.table(
        root, "health", keys: healthKeys, required: ["suite"],
        what: "a health check such as { suite: ../Fixtures/suites/health.yaml }"),
      let node = health["suite"],
      let path = r.text(node, at: health.path("suite"), what: "a suite file")
    else { return }
    let url = SuiteLoader.resolve(path, against: rig.file.deletingLastPathComponent())
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
    else {
      r.report(
        node, health.path("suite"), "health check suite not found: \(url.path)",
        hint: "the path is relative to the rig file; a health check is a short suite file (docs/farm.md §3)")
      return
    }
    rig.health = HealthCheck(suite: url, location: r.location(of: node))
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// `rig list --json`: the tests a `rig run` with the same options would run, in suite order, with
/// what a CI script needs to plan around them (docs/ci.md §3).
struct TestPlanDocument: Encodable {
  struct Test: Encodable {
    var name: String
    var classname: String
    var clip: String
    var frames: Int
    var fps: Double
    /// Frames at the clip's frame rate: what shards are balanced by.
    var expectedSeconds: Double
    var tags: [String]
    var requires: [String]
    var limits: [String]
    var timeoutSeconds: Double
    var retries: Int
    var skip: String?
    var quarantinedOn: [String: String]?
  }

  var format = "rig.plan/1"
  var suite: String
  var file: String
  var shard: String?
  /// How the tests were chosen: `shard`, `only_failed`, `quarantine.file`, `timeout.multiplier`.
  var selection: [String: String]
  var expectedSeconds: Double
  var tests: [Test]

  init(suite: Suite, choice: SelectionOptions.Choice, shard: Shard?) {
    self.suite = suite.name
    file = suite.file.displayPath
    self.shard = shard?.description
    selection = Dictionary(choice.properties.map { ($0.name, $0.value) }) { $1 }
    tests = choice.tests.map { test in
      Test(
        name: test.name, classname: suite.name, clip: test.clip.directory.displayPath,
        frames: test.clip.frameCount, fps: test.clip.manifest.fps,
        expectedSeconds: ExpectedDuration.seconds(test), tags: test.tags, requires: test.requires,
        limits: test.limits.map(\.description), timeoutSeconds: test.timeout.seconds, retries: test.retries,
        skip: test.skipReason, quarantinedOn: test.quarantinedOn.isEmpty ? nil : test.quarantinedOn)
    }
    expectedSeconds = tests.reduce(0) { $0 + $1.expectedSeconds }
  }

  func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }
}

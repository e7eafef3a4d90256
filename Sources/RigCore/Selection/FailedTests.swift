// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The tests that failed or errored in an earlier run (`--only-failed RUN`), read from its
/// `results.json`, or rebuilt from its `events.ndjson` when the run never wrote one.
public enum FailedTests {
  /// The names of the suite's tests that failed or errored in the run at `folder`. A test run on
  /// several rigs (`<test>@<rig>`) counts by its test's name.
  public static func names(in folder: URL) throws -> (suite: String, names: [String]) {
    let run = try read(folder)
    var names: [String] = []
    for test in run.tests where test.verdict == .failed || test.verdict == .errored {
      var name = test.name
      if let rig = test.rig, name.hasSuffix("@\(rig)") { name.removeLast(rig.count + 1) }
      if !names.contains(name) { names.append(name) }
    }
    return (run.suite, names)
  }

  /// The run at `folder` (a run folder, or its results.json or events.ndjson).
  public static func read(_ folder: URL) throws -> RunResult {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else {
      throw RigError(.usage, "\(folder.displayPath) does not exist: give a run folder such as Reports/<run-id>")
    }
    let directory = isDirectory.boolValue ? folder : folder.deletingLastPathComponent()
    let results = directory.appendingPathComponent("results.json")
    if let data = try? Data(contentsOf: results) {
      do {
        return try JSONRenderer.parse(data)
      } catch {
        throw RigError(.usage, "\(results.displayPath) cannot be read: \(error)")
      }
    }
    let events = directory.appendingPathComponent("events.ndjson")
    guard FileManager.default.fileExists(atPath: events.path) else {
      throw RigError(
        .usage, "\(directory.displayPath) has neither results.json nor events.ndjson: is it a rig run folder?")
    }
    return try RunResultBuilder.build(EventLogReader.read(events).events)
  }
}

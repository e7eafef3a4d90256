// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Joins the runs of one suite made on several hosts (`--shard k/n` on each, `rig report merge`)
/// into one run: every test once, each under the rig that ran it, each shard's rigs a section of
/// their own (JUnit: a testsuite per rig). The merged run is given as events, so its reports are
/// what `rig report` would rebuild from its `events.ndjson`.
public enum RunMerge {
  /// One run to merge: its result and the folder (relative to the merged one) its files are in.
  public struct Part: Sendable {
    public var run: RunResult
    /// Where the part's attachments now live, relative to the merged run folder.
    public var folder: String

    public init(run: RunResult, folder: String) {
      self.run = run
      self.folder = folder
    }
  }

  /// The merged run's events, or an error naming why the parts do not belong together: other
  /// suites, other versions of rig, the same test in two parts.
  public static func events(_ parts: [Part], runID: String, at now: Date = Date()) throws(RigError) -> [TimedEvent] {
    guard let first = parts.first else { throw RigError(.usage, "give the run folders to merge") }
    try checkCompatible(parts)
    let parts = ordered(parts)
    let sections = rigSections(parts)
    var tests: [TestResult] = []
    var owner: [String: String] = [:]
    for (part, section) in zip(parts, sections) {
      for var test in part.run.tests {
        if let earlier = owner[test.name] {
          throw RigError(
            .usage,
            "test '\(test.name)' is in both \(earlier) and \(part.folder): merge the shards of one run, "
              + "each once (rig list --shard K/N --json shows which tests a shard has)")
        }
        owner[test.name] = part.folder
        test.rig = test.rig.flatMap { section.renamed[$0] } ?? section.renamed[part.run.rig]
        test.attachments = test.attachments.map { "\(part.folder)/\($0)" }
        tests.append(test)
      }
    }
    let started = parts.map(\.run.startedAt).min() ?? now
    let ended = parts.map { $0.run.startedAt.addingTimeInterval($0.run.duration) }.max() ?? now
    var properties = sharedProperties(parts)
    properties.insert(.init("run.id", runID), at: 0)
    properties.append(.init("merge.parts", parts.map(\.folder).joined(separator: ",")))
    if let missing = missingShards(parts) { properties.append(.init("merge.missing_shards", missing)) }
    let interruptions = parts.compactMap { part in part.run.interruption.map { "\(part.folder): \($0)" } }
    var events: [TimedEvent] = [
      TimedEvent(at: started, .runStarted(RunStart(
        runID: runID, suite: first.run.suite, suiteFile: first.run.properties.first { $0.name == "suite.file" }?.value ?? "",
        rig: sections.flatMap(\.rigs).map(\.name).joined(separator: "+"), rigFile: "", startedAt: started,
        plannedTests: tests.map {
          PlannedTest(name: $0.name, classname: $0.classname, clip: "", frames: 0, tags: [], rig: $0.rig)
        },
        properties: properties)))
    ]
    events += sections.flatMap(\.rigs).map { TimedEvent(at: started, .rigState($0)) }
    events += tests.map { TimedEvent(at: $0.startedAt ?? started, .testFinished($0)) }
    let finish = RunFinish(interruption: interruptions.isEmpty ? nil : interruptions.joined(separator: "; "), exitStatus: 0)
    var result = (try? RunResultBuilder.build(events + [TimedEvent(at: ended, .runFinished(finish))]))
    result?.startFailure = nil
    let status = result.map { ExitStatus(run: $0).rawValue } ?? ExitStatus.software.rawValue
    events.append(TimedEvent(at: ended, .runFinished(RunFinish(interruption: finish.interruption, exitStatus: status))))
    return events
  }

  /// Same suite, same rig version, in every part.
  static func checkCompatible(_ parts: [Part]) throws(RigError) {
    let suites = Dictionary(grouping: parts, by: \.run.suite)
    if suites.count > 1 {
      let list = suites.map { "'\($0.key)' (\($0.value.map(\.folder).joined(separator: ", ")))" }.sorted()
      throw RigError(.usage, "these runs are of different suites: \(list.joined(separator: "; ")); merge the shards of one suite")
    }
    let versions = Dictionary(grouping: parts) { part in
      part.run.properties.first { $0.name == "tool.version" }?.value ?? "unknown"
    }
    if versions.count > 1 {
      let list = versions.map { "\($0.key) (\($0.value.map(\.folder).joined(separator: ", ")))" }.sorted()
      throw RigError(
        .usage,
        "these runs were made by different versions of rig: \(list.joined(separator: "; ")); "
          + "run every shard with the same rig so their results compare")
    }
  }

  /// Parts in shard order when they are shards, else as given.
  static func ordered(_ parts: [Part]) -> [Part] {
    let keys = parts.map { shard(of: $0.run) }
    guard keys.allSatisfy({ $0 != nil }) else { return parts }
    return zip(parts, keys).sorted { $0.1!.index < $1.1!.index }.map(\.0)
  }

  static func shard(of run: RunResult) -> Shard? {
    guard let text = run.properties.first(where: { $0.name == "shard" })?.value else { return nil }
    return try? Shard(parsing: text)
  }

  /// "2/5, 4/5" when the parts are shards of one plan and some are not there.
  static func missingShards(_ parts: [Part]) -> String? {
    let shards = parts.compactMap { shard(of: $0.run) }
    guard let count = shards.first?.count, shards.count == parts.count, shards.allSatisfy({ $0.count == count })
    else { return nil }
    let present = Set(shards.map(\.index))
    let missing = (1...count).filter { !present.contains($0) }
    return missing.isEmpty ? nil : missing.map { "\($0)/\(count)" }.joined(separator: ", ")
  }

  /// The properties every part has with the same value (suite file, tool version, …).
  static func sharedProperties(_ parts: [Part]) -> [RunResult.Property] {
    let perRun = ["run.id", "shard", "shard.planned_tests"]
    return parts[0].run.properties.filter { property in
      !perRun.contains(property.name) && !property.name.hasPrefix("rig.") && !property.name.hasPrefix("fw.")
        && !property.name.hasPrefix("flash.") && !property.name.hasPrefix("dut.")
        && parts.allSatisfy { part in part.run.properties.contains(property) }
    }
  }
}

extension RunMerge {
  /// One part's rigs in the merged run, and what their names became.
  struct Section {
    var rigs: [RigRun]
    /// A rig's name in the part → its name in the merged run.
    var renamed: [String: String]
  }

  /// Each part's rigs: a pool's own sections, or one made of a single-rig run's properties. A
  /// name two parts share (the same bench ran two shards, or two hosts call their rig alike) is
  /// told apart by the part's shard or folder.
  static func rigSections(_ parts: [Part]) -> [Section] {
    let raw = parts.map(rigs(of:))
    var uses: [String: Int] = [:]
    for rigs in raw { for rig in rigs { uses[rig.name, default: 0] += 1 } }
    return zip(parts, raw).map { part, rigs in
      var section = Section(rigs: [], renamed: [:])
      let label = shard(of: part.run).map { "shard \($0)" } ?? part.folder
      for var rig in rigs {
        let original = rig.name
        if (uses[original] ?? 0) > 1 { rig.name = "\(original) (\(label))" }
        section.renamed[original] = rig.name
        section.rigs.append(rig)
      }
      return section
    }
  }

  private static func rigs(of part: Part) -> [RigRun] {
    if let rigs = part.run.rigs, !rigs.isEmpty {
      return rigs.map { rig in
        var rig = rig
        rig.origin = part.folder
        return rig
      }
    }
    let own = ["rig.", "fw.", "flash.", "dut.", "sim.", "board."]
    let properties = part.run.properties.filter { property in own.contains { property.name.hasPrefix($0) } }
    return [RigRun(
      name: part.run.rig, file: "", board: properties.first { $0.name == "rig.board" }?.value ?? "",
      state: part.run.startFailure == nil ? .finished : .unavailable, reason: part.run.startFailure?.reason,
      properties: properties, origin: part.folder)]
  }
}

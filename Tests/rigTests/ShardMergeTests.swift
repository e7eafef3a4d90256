// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// A suite split across hosts with --shard, and the shards' run folders merged back into one.
@Suite("shards and rig report merge", .timeLimit(.minutes(TestTime.minutes(3))))
struct ShardMergeTests {
  @Test("--shard 1/3, 2/3 and 3/3 then rig report merge give the same results as one run")
  func shardsMergeToOneRun() async throws {
    let rig = try RigCommand()
    var folders: [String] = []
    var planned: [String] = []
    for k in 1...3 {
      let plan = try await rig.run(["list", "Fixtures/suites/demo.yaml", "--shard", "\(k)/3", "--json"])
      let document = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
      planned += (document?["tests"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
      let reports = rig.scratch.appendingPathComponent("shard-\(k)")
      let result = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--shard", "\(k)/3", "--reports", reports.path])
      #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
      let run = try FileManager.default.contentsOfDirectory(atPath: reports.path)[0]
      folders.append(reports.appendingPathComponent(run).path)
    }
    #expect(planned.sorted() == ["corridor-busy", "corridor-light", "empty-room", "lighting-change"], "each test in one shard")

    let whole = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--reports", rig.reports.path])
    #expect(whole.status == 0)
    let one = try PoolRunTests.results(try rig.runFolder())

    let merged = rig.scratch.appendingPathComponent("merged")
    let merge = try await rig.run(["report", "merge"] + folders + ["--out", merged.path])
    #expect(merge.status == 0, "\(merge.stdout)\n\(merge.stderr)")
    let joined = try PoolRunTests.results(merged)
    func outcome(_ run: RunResult) -> [String: String] {
      Dictionary(uniqueKeysWithValues: run.tests.map { test in
        (test.name, "\(test.verdict) \(test.metrics.filter { $0.metric != .framesScored }.map { "\($0.metric.rawValue)=\($0.value)" })")
      })
    }
    #expect(outcome(joined) == outcome(one))
    #expect(joined.rigs?.count == 3, "a section per shard's rig: \(joined.rigs?.map(\.name) ?? [])")
    for test in joined.tests {
      for attachment in test.attachments {
        #expect(FileManager.default.fileExists(atPath: merged.appendingPathComponent(attachment).path), "\(attachment)")
      }
    }
    // Only the merged junit.xml: a CI glob must not count the shards' tests twice.
    let junits = FileManager.default.enumerator(atPath: merged.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix("junit.xml") }
    #expect(junits == ["junit.xml"])
    if Xmllint.executable != nil {
      #expect(try await Xmllint.validateJUnit(merged.appendingPathComponent("junit.xml")).isEmpty)
    }
  }

  @Test("runs of different suites, or made by another version of rig, are refused with the reason")
  func refusesStrangers() async throws {
    let rig = try RigCommand()
    let demo = rig.scratch.appendingPathComponent("demo")
    let health = rig.scratch.appendingPathComponent("health")
    #expect(try await rig.run(["run", "Fixtures/suites/demo.yaml", "--only", "empty-room", "--reports", demo.path]).status == 0)
    #expect(try await rig.run(["run", "Fixtures/suites/health.yaml", "--reports", health.path]).status == 0)
    let a = demo.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: demo.path)[0])
    let b = health.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: health.path)[0])
    let suites = try await rig.run(["report", "merge", a.path, b.path, "--out", rig.scratch.appendingPathComponent("m1").path])
    #expect(suites.status == 64)
    #expect(suites.stderr.contains("these runs are of different suites: 'people-counting-demo'"), "\(suites.stderr)")

    // The same run, as if an older rig had made it.
    let older = rig.scratch.appendingPathComponent("older")
    try FileManager.default.copyItem(at: a, to: older)
    let results = older.appendingPathComponent("results.json")
    try String(contentsOf: results, encoding: .utf8).replacingOccurrences(of: "rig 0.1.0", with: "rig 0.0.9")
      .write(to: results, atomically: true, encoding: .utf8)
    let versions = try await rig.run(["report", "merge", a.path, older.path, "--out", rig.scratch.appendingPathComponent("m2").path])
    #expect(versions.status == 64)
    #expect(versions.stderr.contains("different versions of rig: rig 0.0.9 ("), "\(versions.stderr)")
  }
}

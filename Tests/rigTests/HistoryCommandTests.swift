// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// History, baselines and comparison as a user drives them: real `rig` processes on the
/// simulated bench, a real SQLite file.
@Suite("rig history, baseline and compare, end to end", .timeLimit(.minutes(TestTime.minutes(4))))
struct HistoryCommandTests {
  /// A suite of two demo clips whose limits are relative to the baseline.
  static let relativeSuite = """
    suite: relative
    defaults:
      limits:
        count.exact_match: ">= baseline - 0.01"
        latency.p95_ms: "<= baseline * 1.05"
        ram.peak_kib: "<= baseline + 2"
        latency.max_ms: "<= 100"
    tests:
      - { name: light, clip: %CLIPS%/corridor-light }
      - { name: room, clip: %CLIPS%/empty-room, limits: { frames.changed: "== 0" } }
    """

  func relativeSuite(_ rig: RigCommand) throws -> URL {
    let clips = RigCommand.repositoryRoot.appendingPathComponent("Fixtures/clips").path
    return try rig.write("relative.yaml", Self.relativeSuite.replacingOccurrences(of: "%CLIPS%", with: clips))
  }

  func runIDs(_ rig: RigCommand) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: rig.reports.path).sorted()
  }

  @Test("two demo runs are recorded with their identity; the second compares unchanged with the first")
  func twoRuns() async throws {
    let rig = try RigCommand()
    let history = rig.scratch.appendingPathComponent("history.sqlite").path
    for _ in 0..<2 {
      let run = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--reports", rig.reports.path, "--history", history])
      #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
      #expect(run.stdout.contains("history: recorded run "))
    }
    let list = try await rig.run(["history", "list", "--json", "--history", history])
    #expect(list.status == 0, "\(list.stderr)")
    let runs = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
    #expect(runs.count == 2)
    for run in runs {
      for key in ["host", "boardID", "firmwareHash", "firmwareVersion", "modelCRC", "suiteHash", "rigHash", "seed"] {
        #expect(run[key] is String, "\(key) missing in \(run)")
      }
      let names = (run["properties"] as? [[String: String]] ?? []).compactMap { $0["name"] }
      for name in ["rig.file", "rig.file_sha256", "board.id", "host.name", "sim.seed", "sim.latency.jitter_ms", "fw.image_hash"] {
        #expect(names.contains(name), "\(name)")
      }
    }
    let ids = try runIDs(rig)
    let compare = try await rig.run([
      "compare", rig.reports.appendingPathComponent(ids[1]).path, ids[0], "--history", history,
    ])
    #expect(compare.status == 0, "\(compare.stdout)\n\(compare.stderr)")
    #expect(compare.stdout.contains("unchanged (tests: 0 regression"))

    let imported = try await rig.run(["history", "import", rig.reports.path, "--history", history])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("0 recorded, 2 already there"), "importing again records nothing twice")
  }

  @Test("an injected latency regression fails the test with its metric, frames, size and baseline run")
  func latencyRegression() async throws {
    let rig = try RigCommand()
    let history = rig.scratch.appendingPathComponent("history.sqlite").path
    let suite = try relativeSuite(rig)
    let good = try rig.simulatedRig(name: "bench")
    let first = try await rig.run(["run", suite.path, "--rig", good.path, "--reports", rig.reports.path, "--history", history])
    #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
    #expect(first.stderr.isEmpty || !first.stderr.contains("error"), "\(first.stderr)")
    let junitFirst = try String(contentsOf: rig.runFolder().appendingPathComponent("junit.xml"), encoding: .utf8)
    #expect(junitFirst.contains("[[PROPERTY|baseline.runs=none]]"), "no baseline yet, and the report says so")
    let baseline = try runIDs(rig)[0]
    let marked = try await rig.run(["history", "mark-good", baseline, "--history", history])
    #expect(marked.status == 0, "\(marked.stderr)")

    // Same rig name, a firmware 10 % slower from the first frame of 'light'.
    let slow = try rig.write(
      "slow/bench.yaml",
      try String(contentsOf: good, encoding: .utf8)
        + "  faults: [{ kind: slowdown, test: light, frame: 0, factor: 1.10 }]\n")
    let second = try await rig.run(["run", suite.path, "--rig", slow.path, "--reports", rig.reports.path, "--history", history])
    #expect(second.status == 1, "\(second.stdout)\n\(second.stderr)")
    let folder = rig.reports.appendingPathComponent(try runIDs(rig)[1])
    let results = try JSONRenderer.parse(Data(contentsOf: folder.appendingPathComponent("results.json")))
    let light = try #require(results.tests.first { $0.name == "light" })
    #expect(light.verdict == .failed)
    let message = light.message ?? ""
    #expect(message.contains("latency.p95_ms"), "\(message)")
    #expect(message.contains(baseline), "\(message)")
    #expect(message.contains("frames") && message.contains("%"), "\(message)")
    #expect(results.tests.first { $0.name == "room" }?.verdict == .passed)

    let junit = folder.appendingPathComponent("junit.xml")
    let text = try String(contentsOf: junit, encoding: .utf8)
    #expect(text.contains("[[PROPERTY|compare.latency.p95_ms=regression]]"))
    #expect(text.contains("[[PROPERTY|limit.latency.p95_ms.relative=&lt;= baseline * 1.05 = "))
    if Xmllint.executable != nil {
      #expect(try await Xmllint.validateJUnit(junit).isEmpty)
    }
    let compare = try await rig.run(["compare", folder.path, "--history", history])
    #expect(compare.status == 1, "\(compare.stdout)\n\(compare.stderr)")
    #expect(compare.stdout.contains("regression"))

    // rig report rebuilds the same verdict from the events alone.
    try FileManager.default.removeItem(at: folder.appendingPathComponent("results.json"))
    let report = try await rig.run(["report", folder.path, "--history", history])
    #expect(report.status == 1, "\(report.stdout)\n\(report.stderr)")
    #expect(report.stdout.contains("already in"))
  }

  @Test("a peak-RAM increase and changed counts fail the right tests")
  func ramAndCounts() async throws {
    let rig = try RigCommand()
    let history = rig.scratch.appendingPathComponent("history.sqlite").path
    let suite = try relativeSuite(rig)
    let good = try rig.simulatedRig(name: "bench")
    _ = try await rig.run(["run", suite.path, "--rig", good.path, "--reports", rig.reports.path, "--history", history])
    let baseline = try runIDs(rig)[0]
    let worse = try rig.write(
      "worse/bench.yaml",
      try String(contentsOf: good, encoding: .utf8)
        + "  memory: { stack_base_bytes: 14336 }\n"
        + "  faults: [{ kind: miscount, test: room, frame: 20, factor: 1 }]\n")
    let second = try await rig.run([
      "run", suite.path, "--rig", worse.path, "--reports", rig.reports.path, "--history", history, "--baseline", baseline,
    ])
    #expect(second.status == 1, "\(second.stdout)\n\(second.stderr)")
    let results = try JSONRenderer.parse(
      Data(contentsOf: rig.reports.appendingPathComponent(try runIDs(rig)[1]).appendingPathComponent("results.json")))
    let room = try #require(results.tests.first { $0.name == "room" })
    #expect(room.verdict == .failed)
    #expect(room.message?.contains("ram.peak_kib") == true, "\(room.message ?? "")")
    #expect(room.message?.contains("frames.changed") == true, "\(room.message ?? "")")
    #expect(room.comparison?.countChanges.first?.frame == 20)
    #expect(results.tests.first { $0.name == "light" }?.message?.contains("ram.peak_kib") == true)
  }

  @Test("a damaged history stops rig run before the bench with exit 78, and stays as it was")
  func damaged() async throws {
    let rig = try RigCommand()
    let history = try rig.write("history.sqlite", "these are not the runs you are looking for\n")
    let before = try Data(contentsOf: history)
    let run = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--reports", rig.reports.path, "--history", history.path])
    #expect(run.status == 78, "\(run.stdout)\n\(run.stderr)")
    #expect(run.stderr.contains("not an SQLite database"))
    #expect(!FileManager.default.fileExists(atPath: rig.reports.path), "nothing ran")
    let list = try await rig.run(["history", "list", "--history", history.path])
    #expect(list.status == 78)
    #expect(try Data(contentsOf: history) == before)
  }
}

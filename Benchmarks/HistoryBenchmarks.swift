// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import RigHistory

/// Issue 9's speed targets for history: recording a run of 100 tests × 1,000 frames ≤ 0.5 s,
/// the database growing ≤ 2 MB for it, `rig compare` of that run ≤ 0.5 s, `rig history trends`
/// over 1,000 nightlies × 100 tests ≤ 2 s; and the run identity (clip hashes) of a 100 × 1,000
/// frame suite, which is read before every run, ≤ 1 s.
func historyBenchmarks(_ files: BenchmarkFiles) async throws -> [Figure] {
  let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  let database = files.root.appendingPathComponent("history/history.sqlite")
  let store = try HistoryStore(url: database, create: true)
  // A history that already holds nights, as a nightly's does; the first is the baseline.
  let baseline = try HistoryReports.write(files, runID: "night-000", seed: 0)
  _ = try store.record(RunRecord.read(folder: baseline))
  for night in 1...5 {
    _ = try store.record(RunRecord.read(folder: try HistoryReports.write(files, runID: "night-\(night)", seed: UInt64(night))))
  }

  var recordSeconds: [Double] = []
  var growth: [Double] = []
  for night in 6...10 {
    let folder = try HistoryReports.write(files, runID: String(format: "night-%03d", night), seed: UInt64(night))
    try store.checkpoint()
    let before = HistoryReports.size(database)
    let start = ContinuousClock.now
    let record = try RunRecord.read(folder: folder)
    _ = try store.record(record, flaky: try FlakyMarking.reasons(for: record, in: store))
    recordSeconds.append((ContinuousClock.now - start).seconds)
    try store.checkpoint()
    growth.append(Double(HistoryReports.size(database) - before) / 1e6)
  }
  let lastFolder = files.root.appendingPathComponent("history-reports/night-010")
  let compareArguments = ["compare", lastFolder.path, "night-000", "--history", database.path]
  let firstCompare = spawnMeasured(rigExecutable, compareArguments, in: here)
  guard firstCompare.status == 0 || firstCompare.status == 1 else {
    fatalError("rig compare exited \(firstCompare.status)")
  }
  let compares = (0..<5).map { _ in spawnMeasured(rigExecutable, compareArguments, in: here).seconds }

  let nightly = files.root.appendingPathComponent("history/nightlies.sqlite")
  try HistoryReports.fillNightlies(nightly, nights: 1_000, tests: 100)
  let trendsArguments = ["history", "trends", "--history", nightly.path]
  let trend = spawnMeasured(rigExecutable, trendsArguments, in: here)
  guard trend.status == 0 else { fatalError("rig history trends exited \(trend.status)") }
  let trends = (0..<3).map { _ in spawnMeasured(rigExecutable, trendsArguments, in: here).seconds }

  let clips = try (0..<100).map { try files.longClip(name: "identity-\($0)", frames: 1_000) }
  let suite = try SuiteLoader.load(
    try files.suite(name: "identity", clips: clips), files: LocalFileAccess())
  let rig = try RigLoader.load(try files.rig(name: "bench-identity", pace: 0), files: LocalFileAccess())
  _ = try RunIdentity.read(suite: suite, tests: suite.tests, rig: rig, files: LocalFileAccess())
  let identity = try (0..<3).map { _ in
    let start = ContinuousClock.now
    _ = try RunIdentity.read(suite: suite, tests: suite.tests, rig: rig, files: LocalFileAccess())
    return (ContinuousClock.now - start).seconds
  }

  return [
    Figure(
      name: "record a run of 100 tests × 1,000 frames into history", value: median(recordSeconds), unit: "s",
      limit: 0.5, direction: .atMost,
      note: "median of 5: read results.json and 100 frames.csv, mark flaky tests, write one transaction"),
    Figure(
      name: "history growth per run of 100 tests × 1,000 frames", value: median(growth), unit: "MB", limit: 2,
      direction: .atMost, note: "database + write-ahead log, median of 5 runs"),
    Figure(
      name: "rig compare of that run against a baseline", value: median(compares), unit: "s", limit: 0.5,
      direction: .atMost, note: "median wall time of 5, report folder against a run id in history"),
    Figure(
      name: "rig history trends over 1,000 nightlies × 100 tests", value: median(trends), unit: "s", limit: 2,
      direction: .atMost, note: "median wall time of 3, the headline metrics of every test (E-divisive)"),
    Figure(
      name: "run identity of 100 tests × 1,000 frames (clip hashes)", value: median(identity), unit: "s",
      limit: 1, direction: .atMost, note: "median of 3, file cache warm; read before every run"),
  ]
}

/// Report folders and histories shaped like a nightly's.
enum HistoryReports {
  static let framesHeader =
    "frame,label_count,count,count_error,label_in,in,label_out,out,latency_ms,capture_ms,invoke_ms,"
    + "stack_bytes,heap_bytes,sent_crc32,read_crc32,status,finding\n"

  /// Database and write-ahead log together.
  static func size(_ url: URL) -> Int {
    [url.path, url.path + "-wal"].reduce(0) { total, path in
      total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
    }
  }

  /// A report folder of 100 tests × 1,000 frames: results.json and a frames.csv per test.
  static func write(_ files: BenchmarkFiles, runID: String, seed: UInt64) throws -> URL {
    let folder = files.root.appendingPathComponent("history-reports/\(runID)")
    var random = SynthRandom(seed: seed + 1)
    var tests: [TestResult] = []
    for t in 0..<100 {
      let name = "t\(t)"
      var csv = framesHeader
      var latencies: [Double] = []
      for frame in 0..<1_000 {
        let label = (frame / 40 + t) % 4
        let latency = 30 + Double(label) * 0.8 + random.normal() * 0.4
        latencies.append(latency)
        let stack = 6144 + label * 192
        csv += "\(frame),\(label),\(label),0,,,,,\(MetricFormat.format3(latency)),1.200,24.000,\(stack),0,"
          + "00000000,00000000,ok,matched\n"
      }
      try files.write("history-reports/\(runID)/artifacts/\(name)/frames.csv", csv)
      latencies.sort()
      var result = TestResult(
        name: name, classname: "nightly", verdict: .passed, duration: 30,
        metrics: [
          MetricValue(.countExactMatch, 1), MetricValue(.countMAE, 0), MetricValue(.latencyP50, latencies[499]),
          MetricValue(.latencyP95, latencies[949]), MetricValue(.ramPeak, 186.5),
          MetricValue(.framesMissing, 0), MetricValue(.framesScored, 1_000),
        ], attachments: ["artifacts/\(name)/frames.csv"])
      result.clipHash = "sha256:clip-\(t)"
      result.limits = [Limit(.countMAE, .atMost, 0.25)]
      tests.append(result)
    }
    let run = RunResult(
      runID: runID, suite: "nightly", rig: "bench", startedAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(seed) * 86_400),
      duration: 3_000,
      properties: [.init("fw.image_hash", String(repeating: "ab", count: 32)), .init("board.id", "SIM-1")], tests: tests)
    try files.write("history-reports/\(runID)/results.json", try JSONRenderer.render(run))
    return folder
  }

  /// A history of `nights` runs × `tests` tests with every metric a run records and a drift in
  /// one test, recorded without per-frame data (trends read only metrics).
  static func fillNightlies(_ url: URL, nights: Int, tests: Int) throws {
    let store = try HistoryStore(url: url, create: true)
    var random = SynthRandom(seed: 9)
    for night in 0..<nights {
      var results: [TestResult] = []
      for t in 0..<tests {
        let drift = t == 0 && night > nights / 2 ? 1.1 : 1
        var metrics = Metric.allCases.filter { !$0.needsBaseline }.map { MetricValue($0, 1) }
        for index in metrics.indices where metrics[index].metric.unit == "ms" {
          metrics[index].value = (30 + random.normal() * 0.3) * drift
        }
        results.append(TestResult(name: "t\(t)", classname: "nightly", verdict: .passed, metrics: metrics))
      }
      let run = RunResult(
        runID: String(format: "night-%04d", night), suite: "nightly", rig: "bench",
        startedAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(night) * 86_400), duration: 1,
        properties: [], tests: results)
      try store.record(RunRecord(run: run, frames: [:], folder: url))
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigHistory

/// Runs to record, and scratch folders to record them in.
enum HistorySamples {
  static let firmware = String(repeating: "ab", count: 32)

  /// A scratch folder, removed by the caller.
  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rig-history-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A run of `tests` tests of `frames` frames each; latency grows with `slower`.
  static func record(
    id: String, suite: String = "nightly", rig: String = "sim", firmware: String = firmware,
    tests: Int = 2, frames: Int = 100, started: Date = Date(timeIntervalSince1970: 1_800_000_000),
    verdicts: [Verdict]? = nil, slower: Double = 1
  ) -> RunRecord {
    var results: [TestResult] = []
    var series: [String: FrameSeries] = [:]
    for t in 0..<tests {
      let name = "test-\(t)"
      var result = TestResult(
        name: name, classname: suite, verdict: verdicts?[t] ?? .passed, duration: 1,
        metrics: [MetricValue(.countExactMatch, 0.9), MetricValue(.latencyP95, 30 * slower), MetricValue(.ramPeak, 185.5)])
      result.clipHash = "sha256:clip-\(t)"
      result.limits = [Limit(.countMAE, .atMost, 0.25)]
      results.append(result)
      series[name] = FrameSeries(
        (0..<frames).map {
          FrameSeries.Frame(
            index: $0, label: $0 % 3, count: $0 % 3, latencyMicroseconds: Int(30_000 * slower) + $0 % 7,
            stackHeapBytes: 6144 + $0 % 5 * 192, finding: .matched)
        })
    }
    let run = RunResult(
      runID: id, suite: suite, rig: rig, startedAt: started, duration: Double(tests),
      properties: [
        .init("rig.board", "virtual-rt1062"), .init("board.id", "SIM-1"), .init("host.name", "bench"),
        .init("fw.image_hash", firmware), .init("fw.version", "1.0"), .init("sim.seed", "7"),
      ], tests: results)
    return RunRecord(run: run, frames: series, folder: URL(fileURLWithPath: "/reports/\(id)"))
  }
}

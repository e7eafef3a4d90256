// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Testing

@testable import RigHistory

@Suite("History store: recording, reading, baselines, pruning")
struct HistoryStoreTests {
  @Test("a recorded run reads back with its identity, metrics and every frame")
  func roundTrip() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HistoryStore(url: folder.appendingPathComponent("h.sqlite"), create: true)
    let record = HistorySamples.record(id: "run-1")
    #expect(try store.record(record) == .recorded)

    let runs = try store.runs()
    #expect(runs.map(\.runID) == ["run-1"])
    #expect(runs[0].firmwareHash == HistorySamples.firmware)
    #expect(runs[0].boardID == "SIM-1" && runs[0].seed == "7" && runs[0].host == "bench")
    #expect(runs[0].property("fw.version") == "1.0")
    let evidence = try store.evidence(of: "run-1")
    #expect(evidence.map(\.test) == ["test-0", "test-1"])
    #expect(evidence[0].frames == record.frames["test-0"])
    #expect(evidence[0].metric(.latencyP95) == 30)
    #expect(
      evidence[0].identity == EvidenceIdentity(firmwareHash: HistorySamples.firmware + "/1.0", clipHash: "sha256:clip-0"),
      "a build is its image and its version")
    let tests = try store.tests(of: "run-1")
    #expect(tests[0].limits == [Limit(.countMAE, .atMost, 0.25)])
    #expect(tests[0].frames == 100)
  }

  @Test("recording the same run twice records it once")
  func idempotent() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HistoryStore(url: folder.appendingPathComponent("h.sqlite"), create: true)
    #expect(try store.record(HistorySamples.record(id: "run-1")) == .recorded)
    #expect(try store.record(HistorySamples.record(id: "run-1")) == .alreadyRecorded)
    #expect(try store.runs().count == 1)
  }

  @Test("the automatic baseline is the newest passing runs whose firmware is flagged good")
  func automaticBaseline() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HistoryStore(url: folder.appendingPathComponent("h.sqlite"), create: true)
    let good = String(repeating: "11", count: 32)
    let bad = String(repeating: "22", count: 32)
    for (n, firmware) in [good, good, bad].enumerated() {
      try store.record(
        HistorySamples.record(
          id: "run-\(n)", firmware: firmware, started: Date(timeIntervalSince1970: 1_800_000_000 + Double(n))))
    }
    func baseline() throws -> [String] {
      try store.automaticBaseline(suite: "nightly", rig: "sim", test: "test-0", clipHash: "sha256:clip-0", count: 5)
        .map(\.run)
    }
    #expect(try baseline().isEmpty, "no firmware flagged good yet")
    #expect(try store.markGood(runID: "run-0") == good + "/1.0")
    #expect(try baseline() == ["run-1", "run-0"])
    #expect(
      try store.automaticBaseline(suite: "nightly", rig: "sim", test: "test-0", clipHash: "sha256:other", count: 5)
        .isEmpty, "another clip is no baseline")

    let choice = try BaselineChoice.resolve(
      in: store, suite: "nightly", rig: "sim", tests: [("test-0", "sha256:clip-0"), ("test-9", nil)])
    #expect(choice.byTest["test-0"]?.map(\.run) == ["run-1", "run-0"])
    #expect(choice.missing["test-9"] != nil)

    try store.setBaseline(name: "nightly@sim", runID: "run-2")
    let named = try BaselineChoice.resolve(
      in: store, suite: "nightly", rig: "sim", tests: [("test-0", "sha256:clip-0")])
    #expect(named.byTest["test-0"]?.map(\.run) == ["run-2"], "the suite's own named baseline wins")
    #expect(named.description.contains("run-2"))
  }

  @Test("pruning keeps the newest runs of each suite and every baseline")
  func prune() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HistoryStore(url: folder.appendingPathComponent("h.sqlite"), create: true)
    for n in 0..<5 {
      try store.record(HistorySamples.record(id: "run-\(n)", started: Date(timeIntervalSince1970: 1_800_000_000 + Double(n))))
    }
    try store.setBaseline(name: "release", runID: "run-0")
    #expect(try store.prune(keep: 2, dryRun: true) == ["run-2", "run-1"])
    #expect(try store.runs().count == 5)
    #expect(try store.prune(keep: 2) == ["run-2", "run-1"])
    #expect(try store.runs().map(\.runID) == ["run-4", "run-3", "run-0"])
    #expect(try store.evidence(of: "run-1").isEmpty, "a pruned run's tests go with it")
  }

  @Test("metric series run oldest first, one per suite, rig, test and metric")
  func series() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HistoryStore(url: folder.appendingPathComponent("h.sqlite"), create: true)
    for n in 0..<3 {
      try store.record(
        HistorySamples.record(
          id: "run-\(n)", started: Date(timeIntervalSince1970: 1_800_000_000 + Double(n)), slower: 1 + Double(n) / 10))
    }
    let series = try store.metricSeries(suite: "nightly", test: "test-1", metrics: [.latencyP95])
    #expect(series.count == 1)
    #expect(series[0].runs == ["run-0", "run-1", "run-2"])
    #expect(series[0].values.map { ($0 * 10).rounded() / 10 } == [30, 33, 36])
    #expect(try store.metricSeries(suite: "nightly").count == 6)
  }

  @Test("a verdict that flips with the same firmware and clip, or a pass on retry, is marked flaky")
  func flaky() throws {
    let folder = try HistorySamples.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HistoryStore(url: folder.appendingPathComponent("h.sqlite"), create: true)
    let first = HistorySamples.record(id: "run-0")
    try store.record(first, flaky: try FlakyMarking.reasons(for: first, in: store))
    let second = HistorySamples.record(
      id: "run-1", started: Date(timeIntervalSince1970: 1_800_000_100), verdicts: [.failed, .passed])
    let reasons = try FlakyMarking.reasons(for: second, in: store)
    #expect(reasons.keys.sorted() == ["test-0"])
    #expect(reasons["test-0"]?.contains("run-0") == true && reasons["test-0"]?.contains("run-1") == true)
    try store.record(second, flaky: reasons)
    #expect(try store.flakyMarks().map(\.test) == ["test-0"])

    let otherFirmware = HistorySamples.record(
      id: "run-2", firmware: String(repeating: "33", count: 32),
      started: Date(timeIntervalSince1970: 1_800_000_200), verdicts: [.passed, .failed])
    #expect(try FlakyMarking.reasons(for: otherFirmware, in: store).isEmpty, "a new firmware may change verdicts")
  }

  @Test("metrics blobs keep every value, and skip names a newer rig wrote")
  func metricsBlob() {
    let metrics = [MetricValue(.countMAE, 0.125), MetricValue(.latencyP95, .nan), MetricValue(.ramPeak, 185.25)]
    let decoded = MetricsBlob.decode(MetricsBlob.encode(metrics))
    #expect(decoded.count == 3 && decoded[0] == metrics[0] && decoded[2] == metrics[2] && decoded[1].value.isNaN)
    var data = MetricsBlob.encode([MetricValue(.countMAE, 1)])
    data.append(contentsOf: Array("count.future".utf8) + [0] + [UInt8](repeating: 0, count: 8))
    #expect(MetricsBlob.decode(data) == [MetricValue(.countMAE, 1)])
  }
}

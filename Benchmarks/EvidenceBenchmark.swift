// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

/// Issue 9's evidence benchmark: can the judgement tell tonight's firmware from last night's on a
/// bench that is noisy the way real benches are?
///
/// On the simulated bench with jitter, run and board offsets and latency spikes: 20 unchanged
/// nightlies (different seeds, alternating between two boards), each judged against the five
/// before it, must raise no alarm; each of four regressions (exact match about −3 points,
/// latency +10 %, peak RAM +8 KiB, 1 frame in 1,000 dropped), run as five nightlies each and judged
/// against the last five unchanged ones, must be flagged every time; a drift of +1 % a night must
/// be found by change-point detection over the nightly history within five nights.
func evidenceBenchmark(_ files: BenchmarkFiles) async throws -> [Figure] {
  let suite = try SuiteLoader.load(try evidenceSuite(files), files: LocalFileAccess())
  let reports = files.root.appendingPathComponent("evidence-reports")
  let frames = suite.tests.reduce(0) { $0 + $1.clip.frameCount }
  func nightly(_ name: String, seed: UInt64, _ regression: FirmwareRegression = FirmwareRegression()) async throws
    -> [TestEvidence]
  {
    try await EvidenceNightly(
      suite: suite, run: name, board: seed % 2 == 0 ? "bench-a" : "bench-b", seed: seed, regression: regression
    ).evidence(reports: reports)
  }

  let started = ContinuousClock.now
  var unchanged: [[TestEvidence]] = []
  for night in 1...20 { unchanged.append(try await nightly("night-\(night)", seed: UInt64(1000 + night))) }
  var figures = [falseAlarms(unchanged)]

  let baseline = Array(unchanged.suffix(5))
  for kind in RegressionKind.allCases {
    var regressed: [[TestEvidence]] = []
    for night in 1...5 {
      regressed.append(try await nightly("\(kind.rawValue)-\(night)", seed: UInt64(2000 + 10 * night), kind.regression))
    }
    figures.append(detection(kind, regressed, against: baseline))
  }

  var drift: [[TestEvidence]] = []
  for night in 1...10 {
    let scale = pow(1.01, Double(night))
    drift.append(try await nightly("drift-\(night)", seed: UInt64(3000 + night), FirmwareRegression(latencyScale: scale)))
  }
  figures.append(contentsOf: driftFigures(unchanged: unchanged, drift: drift))
  let seconds = (ContinuousClock.now - started).seconds
  print("     evidence: 65 nightlies of \(suite.tests.count) tests, \(frames) frames each, simulated in \(Int(seconds)) s")
  return figures
}

/// The regressions a people-counting team cares about, as simulated firmware builds.
enum RegressionKind: String, CaseIterable {
  case undercount = "exact-match"
  case slower = "p95-latency"
  case memory = "peak-ram"
  case drops = "drop-rate"

  var regression: FirmwareRegression {
    switch self {
    // Frames with people lose one, at a rate that costs the people tests about 3 points.
    case .undercount: FirmwareRegression(miscountRate: 0.04, miscountBy: -1)
    case .slower: FirmwareRegression(latencyScale: 1.10)
    case .memory: FirmwareRegression(ramBytes: 8 * 1024)
    case .drops: FirmwareRegression(dropRate: 0.001)
    }
  }

  var aspect: EvidenceJudgement.Aspect {
    switch self {
    case .undercount: .counts
    case .slower: .latencyP95
    case .memory: .ramPeak
    case .drops: .dropped
    }
  }

  var title: String {
    switch self {
    case .undercount: "exact match about −3 points"
    case .slower: "latency +10 %"
    case .memory: "peak RAM +8 KiB"
    case .drops: "1 frame in 1,000 dropped"
    }
  }
}

/// Judges a nightly against baseline nightlies, test by test.
private func judge(_ nightly: [TestEvidence], against baseline: [[TestEvidence]]) -> RunComparison {
  var byTest: [String: [TestEvidence]] = [:]
  for run in baseline { for test in run { byTest[test.test, default: []].append(test) } }
  return RunComparison(run: nightly.first?.run ?? "", tests: nightly, baselines: byTest)
}

/// Each unchanged nightly against the five before it (the first ones against the last of the 20:
/// unchanged nights are interchangeable). Any regression verdict is a false alarm.
private func falseAlarms(_ unchanged: [[TestEvidence]]) -> Figure {
  var quiet = 0
  var alarms: [String] = []
  var inconclusive = 0
  for (index, night) in unchanged.enumerated() {
    let before = (1...5).map { unchanged[(index - $0 + unchanged.count) % unchanged.count] }
    let comparison = judge(night, against: before)
    let regressed = comparison.regressions.flatMap { test in
      test.summary().map { "\(test.run) \(test.test) \($0)" }
    }
    if regressed.isEmpty { quiet += 1 } else { alarms += regressed }
    inconclusive += comparison.tests.flatMap(\.judgements).filter { $0.verdict == .inconclusive }.count
  }
  let judgements = unchanged.count * (unchanged.first?.count ?? 0) * EvidenceJudgement.Aspect.allCases.count
  let note = "each of 20 unchanged nightlies (2 boards) against the 5 before it; \(inconclusive) of "
    + "\(judgements) judgements inconclusive" + (alarms.isEmpty ? "" : "; alarms: " + alarms.prefix(3).joined(separator: " | "))
  return Figure(
    name: "unchanged nightlies without a false alarm", value: Double(quiet), unit: "of 20", limit: 20,
    direction: .atLeast, note: note)
}

/// How many regressed nightlies the comparison flags on the aspect the regression is about.
private func detection(_ kind: RegressionKind, _ nightlies: [[TestEvidence]], against baseline: [[TestEvidence]]) -> Figure {
  var detected = 0
  var example = ""
  var others: Set<String> = []
  var exactDrop: [Double] = []
  for night in nightlies {
    let comparison = judge(night, against: baseline)
    let flagged = comparison.tests.filter { $0.judgement(kind.aspect)?.verdict == .regression }
    if !flagged.isEmpty { detected += 1 }
    if example.isEmpty, let first = flagged.first, let reason = first.judgement(kind.aspect)?.reason {
      example = "\(first.test): \(reason)"
    }
    for test in comparison.tests {
      for j in test.judgements where j.verdict == .regression && j.aspect != kind.aspect { others.insert(j.aspect.rawValue) }
      if let counts = test.judgement(.counts), let before = counts.baseline, let now = counts.current, before < 1 {
        exactDrop.append((before - now) * 100)
      }
    }
  }
  var note = String(example.prefix(300))
  if kind == .undercount, !exactDrop.isEmpty {
    note = "exact match −\(MetricFormat.number(exactDrop.reduce(0, +) / Double(exactDrop.count))) points on average "
      + "in the tests with people; " + note
  }
  if !others.isEmpty { note += "; also flagged: " + others.sorted().joined(separator: ", ") }
  return Figure(
    name: "detected: \(kind.title)", value: Double(detected) / Double(nightlies.count) * 100, unit: "% of 5 nightlies",
    limit: 100, direction: .atLeast, note: note)
}

/// Change points in each test's history: none in the 20 unchanged nights, and the drift found in
/// a latency history (mean or p95) within five of its nights. Also says when the pairwise comparison against the automatic
/// baseline (the five nights before) would have caught it: a drift moves its baseline along.
private func driftFigures(unchanged: [[TestEvidence]], drift: [[TestEvidence]]) -> [Figure] {
  let tests = unchanged.first?.map(\.test) ?? []
  func series(_ runs: [[TestEvidence]], _ test: String, _ metric: Metric) -> [Double] {
    runs.map { run in run.first { $0.test == test }?.metric(metric) ?? .nan }
  }
  var quietSeries = 0
  var found: [String] = []
  let metrics: [Metric] = [.latencyP95, .latencyMean, .countExactMatch, .ramPeak]
  for test in tests {
    for metric in metrics {
      let changes = ChangePoints.find(in: series(unchanged, test, metric))
      if changes.isEmpty { quietSeries += 1 } else { found.append("\(test) \(metric.rawValue) at night \(changes[0].index + 1)") }
    }
  }
  var flaggedAfter = 11
  var flag = ""
  search: for night in 1...drift.count {
    let history = unchanged + drift.prefix(night)
    for test in tests {
      for metric in [Metric.latencyMean, .latencyP95] {
        let changes = ChangePoints.find(in: series(history, test, metric))
        guard let change = changes.first(where: { $0.index >= unchanged.count && $0.size > 0 }) else { continue }
        flaggedAfter = night
        flag = "\(test): \(metric.rawValue) \(MetricFormat.number(change.before)) → \(MetricFormat.number(change.after)) ms from "
          + "night \(change.index + 1) (drift night \(change.index - unchanged.count + 1)), confidence "
          + MetricFormat.number(change.confidence)
        break search
      }
    }
  }
  var pairwise = "never"
  for (index, night) in drift.enumerated() {
    let history = unchanged + drift.prefix(index)
    if let first = judge(night, against: Array(history.suffix(5))).regressions.first {
      pairwise = "on drift night \(index + 1) (\(first.test) \(first.summary().first?.prefix(80) ?? ""))"
      break
    }
  }
  let total = tests.count * metrics.count
  return [
    Figure(
      name: "unchanged metric histories without a change point", value: Double(quietSeries), unit: "of \(total)",
      limit: Double(total), direction: .atLeast,
      note: "20 nights × \(tests.count) tests × p95, mean latency, exact match, peak RAM"
        + (found.isEmpty ? "" : "; found: " + found.prefix(3).joined(separator: ", "))),
    Figure(
      name: "nights until a +1 %/night latency drift is flagged", value: Double(flaggedAfter), unit: "nights",
      limit: 5, direction: .atMost,
      note: (flag.isEmpty ? "not flagged in 10 nights" : flag)
        + "; the pairwise comparison with the 5 nights before flags it: \(pairwise)"),
  ]
}

/// The demo's four clips and a 12,000-frame corridor, long enough that a 1-in-1,000 drop rate
/// shows as a rate (about 12 drops a night) rather than as one unlucky frame.
private func evidenceSuite(_ files: BenchmarkFiles) throws -> URL {
  let long = try files.longClip(name: "long-corridor", frames: 12_000)
  let clips = URL(fileURLWithPath: "Fixtures/clips").standardizedFileURL
  var text = "suite: nightly-evidence\ndefaults: { timeout: 10m }\ntests:\n"
  for name in ["empty-room", "corridor-light", "lighting-change", "corridor-busy"] {
    text += "  - { name: \(name), clip: \(clips.appendingPathComponent(name).path) }\n"
  }
  text += "  - { name: long-corridor, clip: \(long.path) }\n"
  return try files.write("nightly-evidence.yaml", text)
}

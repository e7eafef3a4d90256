// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHistory

extension Rig {
  /// One run against a baseline, frame by frame (docs/history.md).
  struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare a run with a baseline, test by test and frame by frame.",
      discussion: """
        RUN and BASELINE are each a report folder (Reports/<run-id>) or a run id in history; \
        BASELINE may also be a baseline name. Without BASELINE: the baseline of the run's suite \
        and rig ('rig baseline set'), else the automatic one (each test's last passing runs with \
        a firmware flagged good). Each aspect is a regression, improvement, unchanged or \
        inconclusive, with the reason. Exit 1 on a regression, 0 otherwise.
        """)

    @OptionGroup var historyOptions: HistoryOptions
    @Argument(help: "The run: a report folder or a run id.") var runArgument: String
    @Argument(help: "The baseline: a report folder, a run id or a baseline name.") var baseline: String?
    @Flag(name: .long, help: "Print JSON.") var json = false
    @Flag(name: .long, help: "Show every aspect, not only those that are not unchanged.") var all = false

    func run() throws {
      do {
        let comparison = try compare()
        if json {
          Terminal.out(try HistoryJSON.render(comparison))
        } else {
          Terminal.out(CompareTable.render(comparison, all: all))
        }
        if comparison.verdict == .regression { throw ExitCode(ExitStatus.testFailed.rawValue) }
      } catch {
        throw Failure.exit(error)
      }
    }

    private func compare() throws -> RunComparison {
      var store: HistoryStore?
      func history() throws -> HistoryStore {
        if let store { return store }
        let opened = try historyOptions.open(create: false)
        store = opened
        return opened
      }
      let current = try Self.evidence(runArgument, history: history)
      guard !current.tests.isEmpty else {
        throw RigError(.usage, "run \(current.runID) has no tests to compare")
      }
      var baselines: [String: [TestEvidence]] = [:]
      if let baseline, Self.isFolder(baseline) {
        let other = try Self.evidence(baseline, history: history)
        for test in other.tests { baselines[test.test] = [test] }
      } else {
        let choice = try BaselineChoice.resolve(
          in: try history(), suite: current.suite, rig: current.rig,
          tests: current.tests.map { ($0.test, $0.identity.clipHash.isEmpty ? nil : $0.identity.clipHash) },
          requested: baseline, excludingRun: current.runID)
        baselines = choice.byTest
        if !json { Terminal.out("baseline: \(choice.description)") }
        for (test, why) in choice.missing.sorted(by: { $0.key < $1.key }) where !json {
          Terminal.error("warning: \(test): \(why)")
        }
      }
      return RunComparison(run: current.runID, tests: current.tests, baselines: baselines)
    }

    struct RunEvidence {
      var runID: String
      var suite: String
      var rig: String
      var tests: [TestEvidence]
    }

    static func isFolder(_ path: String) -> Bool {
      var isDirectory: ObjCBool = false
      return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// A run's evidence from its report folder, or from history by run id.
    static func evidence(_ argument: String, history: () throws -> HistoryStore) throws -> RunEvidence {
      if isFolder(argument) {
        let record = try RunRecord.read(folder: URL(fileURLWithPath: argument))
        for warning in record.warnings { Terminal.error("warning: \(warning)") }
        return RunEvidence(runID: record.run.runID, suite: record.run.suite, rig: record.run.rig, tests: record.evidence)
      }
      let store = try history()
      guard let run = try store.run(argument) else {
        throw RigError(
          .usage,
          "'\(argument)' is neither a report folder nor a run in \(store.url.displayPath): see 'rig history list'")
      }
      return RunEvidence(runID: run.runID, suite: run.suite, rig: run.rig, tests: try store.evidence(of: run.runID))
    }
  }
}

/// `rig compare`'s table: one row per test and aspect, then a verdict line.
enum CompareTable {
  static func render(_ comparison: RunComparison, all: Bool) -> String {
    var rows = [["test", "aspect", "verdict", "baseline", "now", "why"]]
    for test in comparison.tests {
      let shown = test.judgements.filter { all || $0.verdict != .unchanged }
      if shown.isEmpty {
        rows.append([test.test, "all", "unchanged", "", "", "against \(test.baselineRuns.joined(separator: ", "))"])
      }
      for judgement in shown {
        rows.append([
          test.test, judgement.aspect.rawValue, judgement.verdict.rawValue,
          judgement.baseline.map(MetricFormat.number) ?? "-", judgement.current.map(MetricFormat.number) ?? "-",
          judgement.reason,
        ])
      }
    }
    var text = TextTable.render(rows)
    if !comparison.withoutBaseline.isEmpty {
      text += "\nnot compared (no baseline): " + comparison.withoutBaseline.joined(separator: ", ")
    }
    let counts = EvidenceJudgement.Verdict.allCases.reversed().map { verdict in
      "\(comparison.tests.filter { $0.verdict == verdict }.count) \(verdict.rawValue)"
    }
    text += "\nrun \(comparison.run): \(comparison.verdict.rawValue) (tests: \(counts.joined(separator: ", ")))"
    return text
  }
}

// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHistory

extension Rig {
  /// The run history: what every recorded run was and measured (docs/history.md).
  struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List, show, import and prune recorded runs; find trends and flaky tests.",
      discussion: """
        rig run records each run into a history database (SQLite): by default \
        ${XDG_STATE_HOME:-~/.local/state}/rig/history.sqlite, else $RIG_HISTORY, the rig file's \
        history:, or --history. Exit 78: the database is damaged, not rig's, or of a newer rig; \
        69: another writer held it past RIG_HISTORY_TIMEOUT seconds (10).
        """,
      subcommands: [
        HistoryList.self, HistoryShow.self, HistoryImport.self, HistoryPrune.self, HistoryMarkGood.self,
        HistoryTrends.self, HistoryFlaky.self, HistoryHTML.self,
      ])
  }

  struct HistoryList: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List recorded runs, newest first.")

    @OptionGroup var historyOptions: HistoryOptions
    @Option(name: .long, help: "Only runs of this suite (its name).") var suite: String?
    @Option(name: .long, help: "Only runs on this rig (its name).") var rig: String?
    @Option(name: .long, help: "At most this many runs.") var limit: Int = 50
    @Flag(name: .long, help: "Print JSON: every run with its full identity.") var json = false

    func run() throws {
      do {
        let store = try historyOptions.open(create: false)
        let runs = try store.runs(.init(suite: suite, rig: rig, limit: limit))
        if json {
          Terminal.out(try HistoryJSON.render(runs))
          return
        }
        if runs.isEmpty {
          Terminal.out("no runs recorded in \(store.url.displayPath)")
          return
        }
        var rows = [["run", "suite", "rig", "board", "firmware", "commit", "verdicts", "marks"]]
        for run in runs {
          let firmware = [run.firmwareVersion, run.firmwareHash.map(ImageHash.short)]
            .compactMap { $0 }.joined(separator: " ")
          var marks = run.baselineNames.map { "baseline:\($0)" }
          if run.firmwareGood { marks.append("good") }
          if let interruption = run.interruption { marks.append("interrupted (\(interruption))") }
          rows.append([
            run.runID, run.suite, run.rig, run.boardID ?? "-", firmware.isEmpty ? "-" : firmware,
            run.commit.map { String($0.prefix(10)) } ?? "-",
            "\(run.tests - run.failed - run.errored)/\(run.failed)/\(run.errored)",
            marks.joined(separator: ", "),
          ])
        }
        Terminal.out(TextTable.render(rows))
        Terminal.out("verdicts: passed or skipped / failed / errored; history: \(store.url.displayPath)")
      } catch {
        throw Failure.exit(error)
      }
    }
  }

  struct HistoryShow: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Show one recorded run: its identity and each test.")

    @OptionGroup var historyOptions: HistoryOptions
    @Argument(help: "Run id (as 'rig history list' prints it).") var runID: String
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Shown: Encodable {
      var run: StoredRun
      var tests: [StoredTest]
    }

    func run() throws {
      do {
        let store = try historyOptions.open(create: false)
        guard let run = try store.run(runID) else {
          throw RigError(.usage, "no run '\(runID)' in \(store.url.displayPath): see 'rig history list'")
        }
        let tests = try store.tests(of: runID)
        if json {
          Terminal.out(try HistoryJSON.render(Shown(run: run, tests: tests)))
          return
        }
        Terminal.out("run \(run.runID): suite '\(run.suite)' on '\(run.rig)', exit \(run.exitStatus)")
        Terminal.out("  started \(UTCTimestamp.iso8601(run.startedAt)), \(MetricFormat.format3(run.duration)) s; from \(run.source)")
        for property in run.properties { Terminal.out("  \(property.name) = \(property.value)") }
        if !run.baselineNames.isEmpty { Terminal.out("  baseline: \(run.baselineNames.joined(separator: ", "))") }
        if run.firmwareGood { Terminal.out("  firmware flagged good") }
        var rows = [["test", "verdict", "frames", "exact", "p95 ms", "peak KiB", "flaky"]]
        for test in tests {
          func value(_ metric: Metric, _ format: (Double) -> String) -> String {
            test.metrics.first { $0.metric == metric }.map { format($0.value) } ?? "-"
          }
          rows.append([
            test.name, test.verdict.rawValue, "\(test.frames)",
            value(.countExactMatch) { String(format: "%.1f%%", $0 * 100) },
            value(.latencyP95) { String(format: "%.2f", $0) },
            value(.ramPeak) { String(format: "%.1f", $0) }, test.flaky ?? "",
          ])
        }
        Terminal.out(TextTable.render(rows))
      } catch {
        throw Failure.exit(error)
      }
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHistory

extension Rig {
  /// Named baselines: runs chosen as the yardstick for later runs (docs/history.md).
  struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Name recorded runs as baselines for comparisons and relative limits.",
      discussion: """
        Without --name, 'rig baseline set RUN' makes RUN the baseline of its suite and rig \
        (named <suite>@<rig>), which rig run and rig compare then use by default. With \
        --name, the baseline is used when asked for (--baseline NAME). Otherwise the automatic \
        baseline applies: each test's last passing run on the same suite and rig with a firmware \
        flagged good (rig history mark-good).
        """,
      subcommands: [BaselineSet.self, BaselineList.self, BaselineRemove.self])
  }

  struct BaselineSet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Name a run as a baseline.")
    @OptionGroup var historyOptions: HistoryOptions
    @Argument(help: "Run id.") var runID: String
    @Option(name: .long, help: "Baseline name (default: <suite>@<rig>, the run's suite and rig default).")
    var name: String?

    func run() throws {
      do {
        let store = try historyOptions.open(create: false)
        guard let run = try store.run(runID) else {
          throw RigError(.usage, "no run '\(runID)' in \(store.url.displayPath): see 'rig history list'")
        }
        let name = name ?? BaselineChoice.defaultName(suite: run.suite, rig: run.rig)
        try store.setBaseline(name: name, runID: runID)
        Terminal.out("baseline '\(name)' is run \(runID) (suite '\(run.suite)' on '\(run.rig)')")
      } catch {
        throw Failure.exit(error)
      }
    }
  }

  struct BaselineList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List named baselines.")
    @OptionGroup var historyOptions: HistoryOptions
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() throws {
      do {
        let baselines = try historyOptions.open(create: false).baselines()
        if json {
          Terminal.out(try HistoryJSON.render(baselines))
        } else if baselines.isEmpty {
          Terminal.out("no named baselines")
        } else {
          Terminal.out(TextTable.render(
            [["name", "run", "suite", "rig", "set"]]
              + baselines.map { [$0.name, $0.runID, $0.suite, $0.rig, UTCTimestamp.iso8601($0.createdAt)] }))
        }
      } catch {
        throw Failure.exit(error)
      }
    }
  }

  struct BaselineRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove", abstract: "Remove a named baseline (the run stays in history).")
    @OptionGroup var historyOptions: HistoryOptions
    @Argument(help: "Baseline name.") var name: String

    func run() throws {
      do {
        let removed = try historyOptions.open(create: false).removeBaseline(name: name)
        guard removed else { throw RigError(.usage, "no baseline named '\(name)': see 'rig baseline list'") }
        Terminal.out("baseline '\(name)' removed")
      } catch {
        throw Failure.exit(error)
      }
    }
  }
}

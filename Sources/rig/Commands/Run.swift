// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore

extension Rig {
  struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run a suite on a bench and write its reports.",
      discussion: """
        Writes Reports/<run-id>/: events.ndjson (as the run goes), junit.xml, results.json, \
        summary.txt and per-test artifacts, and records the run in history (--history PATH, or off; \
        docs/history.md). A suite that names firmware is flashed first unless the \
        board already runs it; on a rig without flasher: it is refused (78) unless --no-flash. \
        Exit code: 0 all passed, 1 a test failed, 2 a test errored (rig fault), 64 usage, \
        69 hardware unavailable or rig locked, 73 the report folder cannot be created, 74 the \
        run's evidence could not all be written, 78 bad configuration, 128+n stopped by signal n.
        """)

    @Argument(help: "Suite file (YAML).")
    var suite: String

    @OptionGroup var options: RunOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Run only these tests (names; repeat or list).")
    var only: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Run only tests with any of these tags.")
    var tag: [String] = []

    @Flag(
      name: .shortAndLong,
      help: "Show board states, notes and frame findings as they happen, and on standard error what the hardware layer chooses (serial implementation per port, power commands).")
    var verbose = false

    @Flag(name: .long, help: "Flash the suite's firmware even if the board already runs it.")
    var force = false

    @OptionGroup var historyOptions: HistoryOptions

    @Option(
      name: .long,
      help: "Judge relative limits against this baseline (a name from 'rig baseline list', or a run id).")
    var baseline: String?

    func run() async throws {
      let progress = ProgressPrinter(verbose: verbose, live: true)
      let session = RunSession(
        suiteFile: URL(fileURLWithPath: suite), options: options,
        only: only.flatMap { $0.split(separator: ",").map(String.init) },
        tags: tag.flatMap { $0.split(separator: ",").map(String.init) },
        frameObserver: { progress.frameDone($0, $1) }, forceFlash: force, history: historyOptions, baseline: baseline,
        progress: progress, verbose: verbose)
      throw await session.execute()
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem

extension Rig {
  struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run a suite on a bench and write its reports.",
      discussion: """
        Writes Reports/<run-id>/: events.ndjson (as the run goes), junit.xml, results.json, \
        summary.txt and per-test artifacts, and records the run in history (--history PATH, or off; \
        docs/history.md). A suite that names firmware is flashed first unless the \
        board already runs it; on a rig without flasher: it is refused (78) unless --no-flash. \
        With several --rig (or --pool), the rigs share the tests, each running one at a time \
        (docs/farm.md). Exit code: 0 all passed, 1 a test failed, 2 a test errored (rig fault), \
        3 all tests passed but a rig was quarantined, taken out or unavailable (bench degraded), \
        64 usage, 69 hardware unavailable or rig locked, 73 the report folder cannot be created, \
        74 the run's evidence could not all be written, 78 bad configuration, 128+n stopped by \
        signal n. A run that cannot start, or whose files do not load, still writes junit.xml \
        with every test errored.
        """)

    @Argument(help: "Suite file (YAML).")
    var suite: String

    @OptionGroup var options: RunOptions

    @Option(name: .long, help: "Pool file listing rig files that share the suite's tests (docs/farm.md).")
    var pool: String?

    @Flag(
      name: .customLong("each-rig"),
      help: "With several rigs: run every test on every rig that can run it (board variants), not once on any.")
    var eachRig = false

    @Option(name: .long, parsing: .upToNextOption, help: "Run only these tests (names; repeat or list).")
    var only: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Run only tests with any of these tags.")
    var tag: [String] = []

    @OptionGroup var selection: SelectionOptions

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
      let only = only.flatMap { $0.split(separator: ",").map(String.init) }
      let tags = tag.flatMap { $0.split(separator: ",").map(String.init) }
      let suiteFile = URL(fileURLWithPath: suite)
      guard options.rig.count > 1 || pool != nil || eachRig else {
        let progress = ProgressPrinter(verbose: verbose, live: true)
        let session = RunSession(
          suiteFile: suiteFile, options: options, only: only, tags: tags,
          frameObserver: { progress.frameDone($0, $1) }, forceFlash: force, history: historyOptions,
          baseline: baseline, progress: progress, verbose: verbose, selection: selection)
        throw await session.execute()
      }
      var rigFiles: [URL] = []
      var loadedPool: RigPool?
      if let pool {
        do {
          loadedPool = try PoolLoader.load(URL(fileURLWithPath: pool), files: LocalFileAccess())
        } catch {
          throw Failure.exit(error)
        }
        rigFiles = loadedPool?.rigs ?? []
      }
      rigFiles += options.rig.map { URL(fileURLWithPath: $0).standardizedFileURL }.filter { !rigFiles.contains($0) }
      if rigFiles.isEmpty { rigFiles = [options.rigURL.standardizedFileURL] }
      let session = PoolSession(
        suiteFile: suiteFile, rigFiles: rigFiles, pool: loadedPool, options: options, selection: selection,
        only: only, tags: tags, eachRig: eachRig, forceFlash: force, verbose: verbose, history: historyOptions)
      throw await session.execute()
    }
  }
}

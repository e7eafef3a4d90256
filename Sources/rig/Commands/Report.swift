// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHistory

extension Rig {
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Re-render a run's reports from its events.ndjson (also after a crash or kill -9).",
      discussion: """
        Tests that were running when the run ended, and tests that never started, appear as errored. \
        Exit code: the run's, as 'rig run' would have returned it.
        """)

    @Argument(help: "A run folder (Reports/<run-id>) or its events.ndjson.")
    var folder: String

    @Flag(name: .long, help: "Only print the summary; do not rewrite junit.xml, results.json, summary.txt and report.html.")
    var dryRun = false

    @OptionGroup var historyOptions: HistoryOptions

    func run() throws {
      var url = URL(fileURLWithPath: folder)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
        url = url.appendingPathComponent("events.ndjson")
      }
      do {
        let log = try EventLogReader.read(url)
        for warning in log.warnings { Terminal.error("warning: \(warning)") }
        let result = try RunResultBuilder.build(log.events)
        let directory = url.deletingLastPathComponent()
        if !dryRun {
          // What the page shows of the baseline and the nightlies, when there is a history to read.
          let history = historyOptions.location()
            .flatMap { try? HistoryStore(url: $0, create: false) }
            .map { ReportHistoryLookup.lookup(result, folder: directory, store: $0, requested: nil) }
          try ReportWriter.write(result, to: directory, attachmentRoot: directory.displayPath, history: history ?? .none)
        }
        Terminal.out(ConsoleSummary.render(result, color: Terminal.supportsColor))
        if !dryRun {
          Terminal.out("reports: \(directory.displayPath)/ (junit.xml, results.json, summary.txt, report.html)")
        }
        // A run that crashed was never recorded: its rebuilt reports are, unless already there.
        var historyFailure: Int32?
        if !dryRun, let url = historyOptions.location() {
          historyFailure = HistoryRecorder.recordFinished(folder: directory, into: try HistoryStore(url: url, create: true))
        }
        let status = ExitStatus(run: result).rawValue
        throw ExitCode(status == 0 ? historyFailure ?? 0 : status)
      } catch {
        throw Failure.exit(error)
      }
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore

extension Rig {
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rebuild",
      abstract: "Re-render a run's reports from its events.ndjson (also after a crash or kill -9).",
      discussion: """
        Tests that were running when the run ended, and tests that never started, appear as errored. \
        Exit code: the run's, as 'rig run' would have returned it.
        """)

    @Argument(help: "A run folder (Reports/<run-id>) or its events.ndjson.")
    var folder: String

    @Flag(name: .long, help: "Only print the summary; do not rewrite junit.xml, results.json and summary.txt.")
    var dryRun = false

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
          try ReportWriter.write(result, to: directory, attachmentRoot: directory.displayPath)
        }
        Terminal.out(ConsoleSummary.render(result, color: Terminal.supportsColor))
        if !dryRun { Terminal.out("reports: \(directory.displayPath)/ (junit.xml, results.json, summary.txt)") }
        throw ExitCode(ExitStatus(run: result).rawValue)
      } catch {
        throw Failure.exit(error)
      }
    }
  }
}

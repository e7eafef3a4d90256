// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHistory
import RigSystem

extension Rig {
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Re-render a run's reports from its events.ndjson (also after a crash or kill -9).",
      discussion: """
        Tests that were running when the run ended, and tests that never started, appear as errored; \
        a test cut off mid-run keeps the console log and frame CSV it left. \
        Exit code: the run's, as 'rig run' would have returned it; 66 when there is no such run \
        folder or events file; 74 when a report could not be written.
        """)

    @Argument(help: "A run folder (Reports/<run-id>) or its events.ndjson.")
    var folder: String

    @Flag(name: .long, help: "Only print the summary; do not rewrite junit.xml, results.json, report.html and summary.txt.")
    var dryRun = false

    @OptionGroup var historyOptions: HistoryOptions

    func run() throws {
      do {
        let (log, root) = try Self.locate(folder)
        let directory = log.deletingLastPathComponent()
        let contents = try EventLogReader.read(log)
        for warning in contents.warnings { Terminal.error("warning: \(warning)") }
        let runFolder = RunFolder(existing: directory)
        let result = UnfinishedTestArtifacts.attach(
          to: try RunResultBuilder.build(contents.events), from: runFolder)
        var written: [String] = []
        if !dryRun {
          // What the page shows of the baseline and the nightlies, when there is a history to read.
          let history = historyOptions.location()
            .flatMap { try? HistoryStore(url: $0, create: false) }
            .map { ReportHistoryLookup.lookup(result, folder: directory, store: $0, requested: nil) }
          written = try ReportWriter.write(
            result, to: runFolder, attachmentRoot: root, frames: FrameTableFiles.read(result, in: directory),
            history: history ?? .none)
        }
        let status = ExitStatus(run: result).evidence(complete: Evidence.account(runFolder.failures))
        Terminal.out(ConsoleSummary.render(result, color: Terminal.supportsColor, exit: status))
        if !dryRun, let line = Evidence.reportsLine(runFolder, written: written, events: false) {
          Terminal.out(line)
        }
        if !dryRun, let line = Evidence.pageLine(runFolder, written: written) { Terminal.out(line) }
        // A run that crashed was never recorded: its rebuilt reports are, unless already there.
        var historyFailure: Int32?
        if !dryRun, let url = historyOptions.location() {
          historyFailure = HistoryRecorder.recordFinished(folder: directory, into: try HistoryStore(url: url, create: true))
        }
        throw ExitCode(status == .allPassed ? historyFailure ?? 0 : status.rawValue)
      } catch {
        throw Failure.exit(error)
      }
    }

    /// The events file `argument` names, and the run folder as the user wrote it, which is what
    /// attachment paths in the reports are relative to (`rig report .` keeps them relative).
    static func locate(_ argument: String) throws -> (log: URL, root: String) {
      var root = argument
      while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
        throw RigError(
          .inputMissing,
          "\(argument): no such run folder or events file "
            + "(give a run folder such as Reports/<run-id>, or its events.ndjson)")
      }
      var log = URL(fileURLWithPath: root)
      if isDirectory.boolValue {
        log = log.appendingPathComponent("events.ndjson")
        guard FileManager.default.fileExists(atPath: log.path) else {
          throw RigError(
            .inputMissing,
            "\(argument) has no events.ndjson: it is not a run folder "
              + "(give a run folder such as Reports/<run-id>, written by 'rig run')")
        }
      } else {
        root = (root as NSString).deletingLastPathComponent
      }
      if root == "." { root = "" }
      return (log, root)
    }
  }
}

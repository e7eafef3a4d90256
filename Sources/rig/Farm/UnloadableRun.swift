// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem

/// A run whose files do not load (the suite, a rig file, a clip): the problems as any command
/// prints them (exit 78), and still a run folder in which every selected test is errored with
/// them, so a CI job shows what went wrong in its test report instead of nothing.
///
/// "Selected" is what `--only` and `--tag` choose among the tests whose names can still be read
/// from the suite file (`SuiteOutline`); when none can, one test named `suite` stands for the
/// whole file.
enum UnloadableRun {
  static func report(
    _ error: ConfigError, suiteFile: URL, only: [String], tags: [String], rigFiles: [URL], reports: String
  ) -> ExitCode {
    let code = Failure.exit(error)
    let outline = SuiteOutline.read(suiteFile, files: LocalFileAccess())
    let runID = RunID.make(date: Date(), suite: outline.name, avoiding: URL(fileURLWithPath: reports))
    let directory = URL(fileURLWithPath: reports).appendingPathComponent(runID)
    let rig = rigFiles.map { $0.deletingPathExtension().lastPathComponent }.joined(separator: "+")
    let start = RunStart(
      runID: runID, suite: outline.name, suiteFile: suiteFile.displayPath, rig: rig.isEmpty ? "sim" : rig,
      rigFile: rigFiles.map(\.displayPath).joined(separator: ", "), startedAt: Date(),
      plannedTests: outline.selected(only: only, tags: tags).map {
        PlannedTest(name: $0, classname: outline.name, clip: "", frames: 0, tags: [])
      },
      properties: [
        .init("run.id", runID), .init("suite.file", suiteFile.displayPath),
        .init("tool.version", "rig \(Rig.version)"), .init("timestamp.tz", "UTC"),
      ])
    do {
      let folder = try RunFolder.create(directory)
      let log = try EventLogWriter(sink: folder)
      let failure = StartFailure(
        reason: error.issues.map(\.description).joined(separator: "\n"), exitStatus: code.rawValue)
      let run = NotStartedRun.record(start, because: failure, errorType: "ConfigError") { try? log.append($0) }
      log.close()
      let written = try ReportWriter.write(run, to: folder, attachmentRoot: folder.location)
      if let line = Evidence.reportsLine(folder, written: written, events: true) {
        Terminal.out("\(line): \(run.tests.count) test\(run.tests.count == 1 ? "" : "s") errored, not run")
      }
    } catch {
      Terminal.error("error: cannot write the run folder \(directory.displayPath): \(error)")
    }
    return code
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigSystem

/// What a run or `rig report` left on disk, told the user: every file that could not be written
/// in full is named, and the `reports:` line lists only what was written.
enum Evidence {
  /// Names each of `failures` on standard error, and those after the first `alreadyNoted` in the
  /// event log while it can still be written (`events`); returns whether the evidence is complete.
  static func account(
    _ failures: [ArtifactFailure], noting alreadyNoted: Int = 0, events: EventLogWriter? = nil
  ) -> Bool {
    guard !failures.isEmpty else { return true }
    Terminal.error(
      "error: the run's evidence is incomplete (exit \(ExitStatus.evidenceIncomplete.rawValue)):")
    for failure in failures { Terminal.error("  \(failure)") }
    for failure in failures.dropFirst(alreadyNoted) {
      try? events?.append(TimedEvent(.note(Note(level: .error, message: failure.description))))
    }
    return false
  }

  /// `reports: Reports/<run-id>/ (junit.xml, results.json, events.ndjson)`, naming only the files
  /// that were written whole; nil when none was.
  static func reportsLine(_ folder: RunFolder, written: [String], events: Bool) -> String? {
    let failed = Set(folder.failures.map(\.path))
    var names = written.filter { $0 != "summary.txt" }
    if events && !failed.contains("events.ndjson") { names.append("events.ndjson") }
    guard !names.isEmpty else { return nil }
    return "reports: \(folder.location)/ (\(names.joined(separator: ", ")))"
  }

  /// `report: Reports/<run-id>/report.html`, the page to open, when it was written.
  static func pageLine(_ folder: RunFolder, written: [String]) -> String? {
    written.contains("report.html") ? "report: \(folder.location)/report.html" : nil
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigHistory

/// Records report folders into history: after `rig run`, from `rig report` (a crashed run), and
/// for `rig history import` (last night's CI artifacts).
enum HistoryRecorder {
  /// Reads `folder` and records it. Warnings (a damaged frames.csv) are printed; the outcome
  /// says whether the run was new.
  @discardableResult
  static func record(folder: URL, into store: HistoryStore) throws -> (RunRecord, HistoryStore.RecordOutcome) {
    let record = try RunRecord.read(folder: folder)
    for warning in record.warnings { Terminal.error("warning: \(warning)") }
    let flaky = try FlakyMarking.reasons(for: record, in: store)
    let outcome = try store.record(record, flaky: flaky)
    return (record, outcome)
  }

  /// One line for the console after a run or report.
  static func describe(_ record: RunRecord, _ outcome: HistoryStore.RecordOutcome, store: HistoryStore) -> String {
    switch outcome {
    case .recorded: "history: recorded run \(record.run.runID) in \(store.url.displayPath)"
    case .alreadyRecorded: "history: run \(record.run.runID) was already in \(store.url.displayPath)"
    }
  }
}

extension HistoryRecorder {
  /// Records a run that just ended (or that `rig report` rebuilt). A failure does not lose the
  /// run — its reports are written — so it is printed with the way to record it later, and its
  /// exit status returned for the caller to use when the run itself passed.
  static func recordFinished(folder: URL, into store: HistoryStore) -> Int32? {
    do {
      let (record, outcome) = try record(folder: folder, into: store)
      Terminal.out(describe(record, outcome, store: store))
      return nil
    } catch {
      let rig = error as? RigError ?? RigError(.internal, "\(error)")
      Terminal.error(
        "error: the run was not recorded in history: \(rig); its reports are complete, record it later "
          + "with 'rig history import \(folder.displayPath) --history \(store.url.displayPath)'")
      return ExitStatus(error: rig).rawValue
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Writes a run's rendered reports (`junit.xml`, `results.json`, `report.html`, `summary.txt`)
/// into its sink.
///
/// Each file is replaced in one step (`ArtifactSink.replace`), so a reader never sees half a
/// report and a failure (a full disk) leaves the previous file as it was. One report that cannot
/// be written does not stop the others; the sink remembers it among its failures.
public enum ReportWriter {
  /// The files written, in writing order.
  public static let fileNames = ["junit.xml", "results.json", "report.html", "summary.txt"]

  /// Renders `run` and writes every report into `sink`; returns the names of those written.
  /// `attachmentRoot` is the run folder as CI sees it, prefixed to attachment paths in JUnit;
  /// `frames` each test's `frames.csv` as read from the run folder (by attachment path), and
  /// `history` what history knows of the tests, both for report.html.
  /// - Throws: only when a report cannot be rendered (a bug in rig).
  @discardableResult
  public static func write(
    _ run: RunResult, to sink: any ArtifactSink, attachmentRoot: String, frames: [String: FrameTable] = [:],
    history: ReportHistory = .none
  ) throws -> [String] {
    let contents: [(String, () throws -> String)] = [
      ("junit.xml", { JUnitRenderer.render(run, attachmentRoot: attachmentRoot) }),
      ("results.json", { try JSONRenderer.render(run) }),
      ("report.html", { HTMLRenderer.render(run, frames: frames, history: history) }),
      // Last, so its exit status knows whether everything before it was written.
      ("summary.txt", {
        let exit = ExitStatus(run: run).evidence(complete: sink.failures.isEmpty)
        return ConsoleSummary.render(run, color: false, exit: exit)
      }),
    ]
    var written: [String] = []
    for (name, render) in contents {
      let text = try render()
      do {
        try sink.replace(name, with: Array(text.utf8))
        written.append(name)
      } catch {
        // Recorded by the sink; the caller names every failure at the end.
      }
    }
    return written
  }
}

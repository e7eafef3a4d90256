// SPDX-License-Identifier: Apache-2.0

/// Renders a run as `report.html`: one self-contained page (no network, no external files; charts
/// as inline SVG, readable without JavaScript) that puts the failures first, then the run's
/// identity, a table of the tests and a section per test with its limits and the charts of its
/// frames.
///
/// A pure function of the run's result and the tests' `frames.csv` tables, like the other
/// renderers; `ReportWriter` reads the tables and writes the file.
public enum HTMLRenderer {
  /// The page. `frames` holds each test's parsed `frames.csv`, keyed by the attachment path
  /// (relative to the run folder, as in `TestResult.attachments`); `history` what history knows
  /// of each test (its baseline comparison, its last nightlies).
  public static func render(_ run: RunResult, frames: [String: FrameTable], history: ReportHistory = .none)
    -> String
  {
    let anchors = run.tests.enumerated().map { HTMLText.anchor($0.element.name, index: $0.offset + 1) }
    let overview = RunOverview(run: run, anchors: anchors, history: history)
    var body = "<header><div class=\"controls\"></div>"
      + "<h1>\(HTMLText.isolated(run.suite)) on \(HTMLText.isolated(run.rig))</h1>"
      + overview.banner() + "</header><main>"
    body += overview.problems()
    body += overview.identity()
    body += overview.testTable()
    let order = run.tests.indices.sorted {
      (VerdictLabel.order(run.tests[$0]), $0) < (VerdictLabel.order(run.tests[$1]), $1)
    }
    for index in order {
      let test = run.tests[index]
      let table = framesAttachment(of: test).flatMap { frames[$0] }
      body += TestSection(test: test, anchor: anchors[index], frames: table, history: history.tests[test.name])
        .render()
    }
    body += "</main><footer class=\"muted\"><p>Written by \(HTMLText.escape(toolVersion(run))) from the run's "
      + "results; <code>rig report</code> writes it again from events.ndjson.</p></footer>"
    return HTMLPage.document(title: "rig report: \(run.suite) on \(run.rig), \(run.runID)", body: body)
  }

  /// The path of a test's `frames.csv` among its attachments.
  public static func framesAttachment(of test: TestResult) -> String? {
    test.attachments.first { $0.hasSuffix("/frames.csv") || $0 == "frames.csv" }
  }

  private static func toolVersion(_ run: RunResult) -> String {
    run.properties.first { $0.name == "tool.version" }?.value ?? "rig"
  }
}

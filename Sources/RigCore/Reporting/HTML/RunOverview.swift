// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The top of the HTML report: the run's outcome and exit code, its failures and errors (each
/// linked to its section), who and what ran (the run's identity) and a table of every test.
struct RunOverview {
  let run: RunResult
  /// Section anchors by test index.
  let anchors: [String]
  /// What history says of the tests: a test worse than its baseline is listed with the failures.
  var history: ReportHistory = .none

  func banner() -> String {
    let status = ExitStatus(run: run)
    let flaky = run.tests.filter(\.isFlaky).count
    let counts =
      "\(run.count(.passed)) passed" + (flaky > 0 ? " (\(flaky) flaky)" : "")
      + ", \(run.count(.failed)) failed, \(run.count(.errored)) errored, \(run.count(.skipped)) skipped"
    let verdict = run.interruption == nil && run.startFailure == nil ? run.worstVerdict : .errored
    return "<p class=\"banner \(verdict.rawValue)\" role=\"status\">\(VerdictLabel.text(verdict)) \u{2014} "
      + "exit \(status.rawValue): \(HTMLText.escape(VerdictLabel.meaning(of: status, interruption: run.interruption)))."
      + " <span class=\"muted\">\(counts)</span></p>"
  }

  /// Failed, errored and flaky tests, worst first, each with its message and a link; then the
  /// tests that passed their limits but are worse than their baseline.
  func problems() -> String {
    let indices = run.tests.indices
      .filter { run.tests[$0].verdict == .failed || run.tests[$0].verdict == .errored || run.tests[$0].isFlaky }
      .sorted { VerdictLabel.order(run.tests[$0]) < VerdictLabel.order(run.tests[$1]) }
    let regressed = run.tests.indices.filter { index in
      !indices.contains(index) && history.tests[run.tests[index].name]?.comparison?.verdict == .regression
    }
    guard !indices.isEmpty || !regressed.isEmpty || run.interruption != nil || run.startFailure != nil else {
      return ""
    }
    var out = "<section id=\"problems\" aria-labelledby=\"problems-h\"><h2 id=\"problems-h\">Failures and errors</h2><ul>"
    if let failure = run.startFailure {
      out += "<li><span class=\"v errored\">! NOT STARTED</span> the run stopped before its first test: "
        + "<pre>\(HTMLText.escape(failure.reason))</pre></li>"
    }
    if let interruption = run.interruption {
      out += "<li><span class=\"v errored\">! STOPPED</span> the run was interrupted: \(HTMLText.escape(interruption))</li>"
    }
    for index in indices {
      let test = run.tests[index]
      let why = test.isFlaky
        ? "passed on attempt \(test.earlierAttempts.count + 1); earlier: "
          + test.earlierAttempts.map { "\($0.verdict.rawValue): \($0.message)" }.joined(separator: "; ")
        : test.message ?? test.verdict.rawValue
      out += "<li>\(VerdictLabel.html(test)) <a href=\"#\(anchors[index])\">\(HTMLText.isolated(test.name))</a>: "
        + "\(HTMLText.escape(why))</li>"
    }
    for index in regressed {
      let comparison = history.tests[run.tests[index].name]?.comparison
      let aspects = comparison?.judgements.filter { $0.verdict == .regression }.map(\.aspect.rawValue) ?? []
      out += "<li>\(BaselineSection.label(.regression)) <a href=\"#\(anchors[index])\">"
        + "\(HTMLText.isolated(run.tests[index].name))</a>: passed its limits, but worse than its baseline in "
        + "\(HTMLText.escape(aspects.joined(separator: ", ")))</li>"
    }
    return out + "</ul></section>"
  }

  /// What ran where: every identity the run recorded, the known ones first and named.
  func identity() -> String {
    let properties = Dictionary(run.properties.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    func first(_ names: [String]) -> String? { names.lazy.compactMap { properties[$0] }.first }
    let end = run.startedAt.addingTimeInterval(run.duration)
    var rows: [(String, String?)] = [
      ("suite", run.suite + (first(["suite.file"]).map { " (\($0))" } ?? "")),
      ("rig", run.rig + (first(["rig.file"]).map { " (\($0))" } ?? "")),
      ("board", first(["rig.board", "board.model"]).map { board in
        board + (first(["board.id", "board.serial", "dut.serial"]).map { " \($0)" } ?? "")
      }),
      ("firmware", first(["fw.version"]).map { v in v + (first(["fw.image_hash"]).map { " (image \($0))" } ?? "") }),
      ("model", first(["fw.model_crc", "model.crc"])),
      ("seed", first(["sim.seed", "seed", "run.seed"])),
      ("commit", first(["vcs.commit", "git.commit", "commit"]).map { c in
        c + (first(["vcs.branch"]).map { " (\($0))" } ?? "")
      }),
      ("CI build", first(["ci.build_id", "ci.build"]).map { id in
        (first(["ci.system"]).map { "\($0) " } ?? "") + id
      }),
      ("host", first(["host.name", "host"])),
      ("started", UTCTimestamp.iso8601(run.startedAt)),
      ("ended", UTCTimestamp.iso8601(end) + " (\(ConsoleSummary.fixed(run.duration, 1)) s)"),
      ("exit code", "\(ExitStatus(run: run).rawValue)"),
      ("tool", first(["tool.version"])),
    ]
    rows = rows.filter { $0.1 != nil }
    var out = "<section id=\"run\" aria-labelledby=\"run-h\"><h2 id=\"run-h\">Run \(HTMLText.isolated(run.runID))</h2>"
      + "<dl class=\"identity\">"
    for (name, value) in rows {
      var shown = HTMLText.isolated(value ?? "")
      // A CI build links to its page, when the run recorded a web address for it.
      if name == "CI build", let url = first(["ci.build_url"]), url.hasPrefix("https://") || url.hasPrefix("http://") {
        shown = "<a href=\"\(HTMLText.escape(url))\">\(shown)</a>"
      }
      out += "<dt>\(name)</dt><dd>\(shown)</dd>"
    }
    out += "</dl>"
    if !run.properties.isEmpty {
      out += "<details><summary>All run properties (\(run.properties.count))</summary><div class=\"tablewrap\">"
        + "<table><tbody>"
      for property in run.properties {
        out += "<tr><td><code>\(HTMLText.escape(property.name))</code></td><td>\(HTMLText.escape(property.value))</td></tr>"
      }
      out += "</tbody></table></div></details>"
    }
    return out + "</section>"
  }

  /// One row per test in suite order, sortable by any column.
  func testTable() -> String {
    guard !run.tests.isEmpty else { return "<p>No tests in this run.</p>" }
    let headers = ["test", "verdict", "frames", "exact", "MAE", "p95 ms", "peak KiB", "time s"]
    var out = "<section id=\"tests\" aria-labelledby=\"tests-h\"><h2 id=\"tests-h\">Tests</h2>"
      + "<div class=\"tablewrap\"><table class=\"overview\"><thead><tr>"
    for (i, header) in headers.enumerated() {
      out += "<th data-sort=\"\(i)\"" + (i >= 2 ? " class=\"n\"" : "") + ">\(header)</th>"
    }
    out += "</tr></thead><tbody>"
    for (index, test) in run.tests.enumerated() {
      func cell(_ value: Double?, _ decimals: Int, scale: Double = 1) -> String {
        guard let value else { return "<td class=\"n\" data-v=\"\">-</td>" }
        return "<td class=\"n\" data-v=\"\(MetricFormat.number(value))\">\(ConsoleSummary.fixed(value * scale, decimals))</td>"
      }
      out += "<tr><td><a href=\"#\(anchors[index])\">\(HTMLText.isolated(test.name))</a></td>"
        + "<td data-v=\"\(VerdictLabel.order(test))\">\(VerdictLabel.html(test))</td>"
        + cell(test.metric(.framesScored), 0) + cell(test.metric(.countExactMatch), 1, scale: 100)
        + cell(test.metric(.countMAE), 3) + cell(test.metric(.latencyP95), 2) + cell(test.metric(.ramPeak), 1)
        + cell(test.verdict == .skipped ? nil : test.duration, 1) + "</tr>"
    }
    return out + "</tbody></table></div><p class=\"muted\">exact in %; sections below: failures first.</p></section>"
  }
}

// SPDX-License-Identifier: Apache-2.0

/// The summary printed at the end of a run (and saved as `summary.txt`): a table of tests, one
/// line per problem, and a totals line with the exit status.
///
/// Without colour the output is plain ASCII apart from what users wrote (test names, messages),
/// so it survives any CI log viewer.
public enum ConsoleSummary {
  /// The summary of `run`; `color` adds ANSI colours for a terminal. `exit` is the status rig
  /// exits with when it is not the run's own (74: the evidence could not all be written).
  public static func render(_ run: RunResult, color: Bool, exit: ExitStatus? = nil) -> String {
    let paint = Painter(enabled: color)
    var out = table(run, paint: paint)
    let problems = problemLines(run, paint: paint)
    if !problems.isEmpty {
      out += "\n" + problems.joined(separator: "\n") + "\n"
    }
    out += "\n" + totals(run, paint: paint, exit: exit ?? ExitStatus(run: run)) + "\n"
    return out
  }

  private static let headers = [
    "test", "verdict", "frames", "exact", "MAE", "p95 ms", "peak KiB", "time",
  ]

  private static func table(_ run: RunResult, paint: Painter) -> String {
    if run.tests.isEmpty { return "no tests in this run\n" }
    // A run on several rigs says which rig ran each test, in a last column.
    let pooled = run.rigs != nil
    let headers = pooled ? Self.headers + ["rig"] : Self.headers
    let rows = run.tests.map { test in pooled ? cells(test) + [test.rig.map(clean) ?? "-"] : cells(test) }
    var widths = headers.map(\.count)
    for row in rows {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
    }
    // Text columns read left-aligned, numbers right-aligned so their decimals line up.
    func line(_ cells: [String], verdictColor: ((String) -> String)? = nil) -> String {
      var parts: [String] = []
      for (i, cell) in cells.enumerated() {
        let padding = String(repeating: " ", count: widths[i] - cell.count)
        var text = i < 2 || i == 8 ? cell + padding : padding + cell
        if i == 1, let verdictColor { text = verdictColor(cell) + padding }
        parts.append(text)
      }
      var joined = parts.joined(separator: "  ")
      while joined.hasSuffix(" ") { joined.removeLast() }
      return joined
    }
    var out = paint.bold(line(headers)) + "\n"
    for (test, row) in zip(run.tests, rows) {
      out += line(row) { paint.verdict($0, test) } + "\n"
    }
    return out
  }

  /// One table row: every value formatted, `-` where the test has none.
  private static func cells(_ test: TestResult) -> [String] {
    let matched: Double? = test.frames.matched > 0 ? Double(test.frames.matched) : nil
    let scored: Double? = test.metric(.framesScored) ?? matched
    let exact: String = test.metric(.countExactMatch).map { fixed($0 * 100, 1) + "%" } ?? "-"
    let mae: String = test.metric(.countMAE).map { fixed($0, 3) } ?? "-"
    let p95: String = test.metric(.latencyP95).map { fixed($0, 2) } ?? "-"
    let peak: String = test.metric(.ramPeak).map { fixed($0, 1) } ?? "-"
    let time: String = test.verdict == .skipped ? "-" : fixed(test.duration, 1) + " s"
    let frames: String = scored.map { fixed($0, 0) } ?? "-"
    return [clip(clean(test.name), 40), label(test), frames, exact, mae, p95, peak, time]
  }

  private static func problemLines(_ run: RunResult, paint: Painter) -> [String] {
    var lines: [String] = []
    for test in run.tests {
      let name = clean(test.name)
      let retried =
        test.earlierAttempts.isEmpty ? "" : " (after \(test.earlierAttempts.count + 1) attempts)"
      switch test.verdict {
      case .failed:
        if test.violations.isEmpty {
          lines.append(
            paint.red("FAIL  ") + " \(name): \(clean(test.message ?? "failed"))\(retried)")
        }
        for violation in test.violations {
          lines.append(paint.red("FAIL  ") + " \(name): \(violation)\(retried)")
        }
      case .errored:
        let type = test.errorType.map { " [\($0)]" } ?? ""
        lines.append(
          paint.magenta("ERROR ") + " \(name): \(clean(test.message ?? "errored"))\(type)\(retried)"
        )
      case .skipped:
        lines.append(paint.yellow("SKIP  ") + " \(name): \(clean(test.message ?? "skipped"))")
      case .passed:
        if let note = frameNote(test.frames) {
          lines.append(paint.yellow("NOTE  ") + " \(name): passed with \(note)")
        }
        guard test.isFlaky else { break }
        let earlier = test.earlierAttempts.enumerated().map { index, attempt in
          "attempt \(index + 1) \(attempt.verdict.rawValue): \(clean(attempt.message))"
        }
        lines.append(
          paint.yellow("FLAKY ")
            + " \(name): passed on attempt \(test.earlierAttempts.count + 1); "
            + earlier.joined(separator: "; "))
      }
    }
    for rig in run.rigs ?? [] where rig.isOut {
      lines.append(
        paint.yellow("RIG   ") + " \(clean(rig.name)) \(rig.state.rawValue): \(clean(rig.reason ?? "no reason recorded"))")
    }
    if let interruption = run.interruption {
      lines.append(paint.magenta("STOP  ") + " the run was interrupted: \(clean(interruption))")
    }
    return lines
  }

  /// The frames a test lost or could not use, and the records it ignored, in a few words; nil
  /// when there were none. A pass with such frames must say so: the figures rest on fewer frames.
  static func frameNote(_ f: FrameAccounting) -> String? {
    func count(_ n: Int, _ what: String) -> String? { n > 0 ? "\(n) \(what)" : nil }
    let frames = [
      count(f.dropped, f.dropped == 1 ? "frame dropped by the DUT" : "frames dropped by the DUT"),
      count(f.missing - f.dropped, "missing"), count(f.damaged, "damaged"), count(f.truncated, "truncated"),
      count(f.badLength, "with a bad length"), count(f.captureStuck, "with a stuck capture"),
      count(f.duplicated, "reported twice"), count(f.unknown, "unknown"),
      count(f.deviceErrors, "with device errors"),
    ].compactMap { $0 }
    let records = [
      count(f.badChecksum, f.badChecksum == 1 ? "record failed its checksum" : "records failed their checksum"),
      count(f.staleNonce, "stale records ignored"),
    ].compactMap { $0 }
    guard !frames.isEmpty || !records.isEmpty else { return nil }
    return [frames.joined(separator: ", "), records.joined(separator: ", ")].filter { !$0.isEmpty }
      .joined(separator: "; ") + (frames.isEmpty ? "" : " (frames.csv has each)")
  }

  private static func totals(_ run: RunResult, paint: Painter, exit: ExitStatus) -> String {
    let flaky = run.tests.filter(\.isFlaky).count
    let passed = "\(run.count(.passed)) passed" + (flaky > 0 ? " (\(flaky) flaky)" : "")
    let text =
      "\(passed), \(run.count(.failed)) failed, \(run.count(.errored)) errored, "
      + "\(run.count(.skipped)) skipped in \(fixed(run.duration, 1)) s "
      + (paint.enabled ? "\u{2014}" : "-") + " exit \(exit.rawValue)"
    switch run.worstVerdict {
    case .passed, .skipped:
      if ExitStatus(run: run) == .benchDegraded { return paint.yellow(text) }
      return paint.enabled && run.interruption == nil ? paint.green(text) : paint.bold(text)
    case .failed: return paint.red(text)
    case .errored: return paint.magenta(text)
    }
  }

  private static func label(_ test: TestResult) -> String {
    switch test.verdict {
    case .passed: test.isFlaky ? "flaky" : "passed"
    case .failed: "FAILED"
    case .errored: "ERRORED"
    case .skipped: "skipped"
    }
  }

  /// User text with control characters and escape sequences made harmless for a terminal.
  private static func clean(_ text: String) -> String {
    TerminalText.excerpt(text, limit: 300)
  }

  private static func clip(_ text: String, _ limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(limit - 3)) + "..."
  }

  /// `value` with `decimals` digits after the point, without locale-dependent formatting.
  static func fixed(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e18 else { return MetricFormat.number(value) }
    let digits = String(Int64(scaled))
    let sign = value < 0 && scaled != 0 ? "-" : ""
    guard decimals > 0 else { return sign + digits }
    let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
    return sign + padded.dropLast(decimals) + "." + padded.suffix(decimals)
  }

  /// ANSI colours, or nothing.
  private struct Painter {
    var enabled: Bool
    func wrap(_ code: String, _ text: String) -> String {
      enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
    func bold(_ t: String) -> String { wrap("1", t) }
    func red(_ t: String) -> String { wrap("31", t) }
    func green(_ t: String) -> String { wrap("32", t) }
    func yellow(_ t: String) -> String { wrap("33", t) }
    func magenta(_ t: String) -> String { wrap("35", t) }
    func verdict(_ text: String, _ test: TestResult) -> String {
      switch test.verdict {
      case .passed: test.isFlaky ? yellow(text) : green(text)
      case .failed: red(text)
      case .errored: magenta(text)
      case .skipped: yellow(text)
      }
    }
  }
}

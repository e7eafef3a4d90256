// SPDX-License-Identifier: Apache-2.0

/// One test's part of the HTML report: verdict and why, its limits with their margins, its
/// metrics and frame accounting, the charts of its frames and links to its files.
struct TestSection {
  let test: TestResult
  let anchor: String
  /// Its `frames.csv`, when there is one.
  let frames: FrameTable?
  /// What history knows of it.
  var history: ReportHistory.Test?

  /// The most console text shown inline; the whole log is linked.
  static let logLimit = 64 * 1024

  func render() -> String {
    var out = "<section class=\"test\" id=\"\(anchor)\" aria-labelledby=\"\(anchor)-h\">"
    out += "<h2 id=\"\(anchor)-h\">\(VerdictLabel.html(test)) \(HTMLText.isolated(test.name))</h2>"
    out += summary()
    out += links()
    if test.verdict != .skipped {
      let limits = LimitMargins.table(test)
      if !limits.isEmpty { out += "<h3>Limits</h3>" + limits }
      if let history { out += BaselineSection(test: test, history: history).render() }
      out += metrics()
      out += accounting()
      out += charts()
    }
    out += log()
    return out + "</section>"
  }

  private func summary() -> String {
    var out = ""
    if let message = test.message {
      out += "<p class=\"message\"><strong>\(HTMLText.escape(message))</strong>"
        + (test.errorType.map { " <span class=\"muted\">[\(HTMLText.escape($0))]</span>" } ?? "") + "</p>"
    }
    if let details = test.details, details != test.message {
      out += "<pre class=\"details\">\(HTMLText.escape(details))</pre>"
    }
    var facts: [String] = []
    if let started = test.startedAt { facts.append("started \(UTCTimestamp.iso8601(started))") }
    if test.verdict != .skipped { facts.append("took \(ConsoleSummary.fixed(test.duration, 3)) s") }
    if !test.earlierAttempts.isEmpty { facts.append("attempt \(test.earlierAttempts.count + 1)") }
    if !facts.isEmpty { out += "<p class=\"muted\">\(facts.joined(separator: " \u{00B7} "))</p>" }
    if !test.earlierAttempts.isEmpty {
      out += "<p>Earlier attempts:</p><ol class=\"attempts\">"
      for attempt in test.earlierAttempts {
        out += "<li>\(VerdictLabel.html(attempt.verdict)) after \(ConsoleSummary.fixed(attempt.duration, 3)) s: "
          + "\(HTMLText.escape(attempt.message)) <span class=\"muted\">[\(HTMLText.escape(attempt.errorType))]</span></li>"
      }
      out += "</ol>"
    }
    return out
  }

  private func links() -> String {
    guard !test.attachments.isEmpty else { return "" }
    let items = test.attachments.map { path in
      let name = path.split(separator: "/").last.map(String.init) ?? path
      return "<a href=\"\(HTMLText.path(path))\">\(HTMLText.escape(name))</a>"
    }
    return "<p class=\"links\">Files: \(items.joined(separator: " "))</p>"
  }

  private func metrics() -> String {
    guard !test.metrics.isEmpty else { return "" }
    var out = "<details class=\"metrics\"><summary>All metrics (\(test.metrics.count))</summary>"
      + "<div class=\"tablewrap\"><table><thead><tr><th>metric</th><th class=\"n\">value</th><th>unit</th></tr>"
      + "</thead><tbody>"
    for m in test.metrics {
      out += "<tr><td><code>\(m.metric.rawValue)</code></td><td class=\"n num\">\(MetricFormat.number(m.value))</td>"
        + "<td>\(m.metric.unit)</td></tr>"
    }
    return out + "</tbody></table></div></details>"
  }

  private func accounting() -> String {
    let a = test.frames
    guard a.sent > 0 else { return "" }
    var parts = ["\(a.sent) sent", "\(a.served) served by the emulator", "\(a.matched) reported"]
    let counters: [(Int, String)] = [
      (a.missing, "missing"), (a.dropped, "dropped by the DUT"), (a.duplicated, "duplicated"),
      (a.unknown, "unknown"), (a.damaged, "damaged"), (a.truncated, "truncated"), (a.badLength, "bad length"),
      (a.captureStuck, "capture stuck"), (a.deviceErrors, "with device errors"),
      (a.badChecksum, "damaged records"), (a.staleNonce, "stale records"),
    ]
    parts += counters.filter { $0.0 > 0 }.map { "<strong>\($0.0) \($0.1)</strong>" }
    return "<p>Frames: \(parts.joined(separator: ", ")).</p>"
  }

  private func charts() -> String {
    guard let frames, frames.rowCount > 0 else {
      let why =
        if frames != nil { "frames.csv has no rows (no frame of the test resolved)" }
        else if test.attachments.contains(where: { $0.hasSuffix("frames.csv") }) { "frames.csv could not be read" }
        else { "the test has no frames.csv (it stopped before its first frame)" }
      return "<p class=\"muted\">No per-frame charts: \(why).</p>"
    }
    let charts = FrameCharts(
      table: frames, test: test, limits: LimitMargins.limits(of: test),
      countChanges: history?.comparison?.countChanges ?? [])
    var out = "<h3>Count against label</h3>" + charts.timeline() + wrongFrames(charts)
    out += findings(charts)
    if let inOut = charts.inOut() { out += "<h3>Line crossings</h3>" + inOut }
    if let histogram = charts.latencyHistogram() {
      out += "<h3>Latency</h3><div class=\"pair\">" + histogram + (charts.latencyOverFrames() ?? "") + "</div>"
    }
    if let memory = charts.memory() {
      out += "<h3>Memory</h3><div class=\"pair\">" + memory + (charts.stack() ?? "") + "</div>"
    }
    if frames.unreadableRows > 0 {
      out += "<p class=\"bad\">\(frames.unreadableRows) lines of frames.csv could not be read and are not drawn.</p>"
    }
    return out
  }

  private func wrongFrames(_ charts: FrameCharts) -> String {
    let wrong = charts.marks.wrong
    guard wrong.frames > 0 else { return "<p class=\"ok\">Every scored frame counted right.</p>" }
    var out = "<p><strong>\(wrong.frames) frames counted wrong</strong>: \(wrong.text()).</p>"
    out += "<p>First wrong frames:</p><ul class=\"first-wrong\">"
    for (frame, label, count) in charts.firstWrongFrames() {
      let difference = Int(count) - Int(label)
      out += "<li>frame \(frame): counted \(count), label \(label) (\(difference > 0 ? "+" : "")\(difference))</li>"
    }
    return out + "</ul>"
  }

  private func findings(_ charts: FrameCharts) -> String {
    guard !charts.marks.findings.isEmpty else { return "" }
    var out = "<div class=\"tablewrap\"><table class=\"findings\"><thead><tr><th>mark</th><th>finding</th>"
      + "<th class=\"n\">frames</th><th>which</th></tr></thead><tbody>"
    for (kind, ranges) in charts.marks.findings {
      out += "<tr><td>\(FrameRanges.shape(for: kind).symbol)</td><td>\(HTMLText.escape(kind))</td>"
        + "<td class=\"n\">\(ranges.frames)</td><td>\(ranges.text())</td></tr>"
    }
    return out + "</tbody></table></div>"
  }

  private func log() -> String {
    guard !test.log.isEmpty else { return "" }
    let full = test.attachments.first { $0.hasSuffix("console.log") }
    let text = XMLText.cap(test.log, limit: Self.logLimit, fullText: full)
    return "<details class=\"console\"><summary>Console, last lines</summary><pre>\(HTMLText.escape(text))</pre></details>"
  }
}

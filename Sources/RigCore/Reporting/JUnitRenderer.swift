// SPDX-License-Identifier: Apache-2.0

/// Renders a run as JUnit XML in the "HIL-JUnit strict" profile (docs/reports.md).
///
/// The file validates against Jenkins xUnit's `junit-10.xsd` as a whole and against Maven
/// Surefire's XSD one `<testsuite>` at a time: one `<testsuites>` root, one `<testsuite>` per rig
/// named `<suite>@<rig>` (`JUnitRenderer+Rigs.swift`), properties first, testcase children in Surefire order, per-test metrics
/// and attachments as `[[PROPERTY|…]]` / `[[ATTACHMENT|…]]` lines at the end of `system-out`.
public enum JUnitRenderer {
  /// The whole document. `attachmentRoot` is prefixed to each attachment path (relative to the
  /// run folder) so CI finds the files: the run folder relative to the workspace root.
  public static func render(_ run: RunResult, attachmentRoot: String) -> String {
    let suites = SuiteGroup.groups(of: run)
    let all = suites.flatMap(\.tests)
    var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    x +=
      "<testsuites"
      + attributes([
        ("name", run.runID), ("tests", "\(all.count)"),
        ("failures", "\(all.filter { $0.verdict == .failed }.count)"),
        ("errors", "\(all.filter { $0.verdict == .errored }.count)"), ("time", seconds(run.duration)),
      ]) + ">\n"
    // GitLab keeps only the first of two testcases with the same classname and name, across
    // the whole file.
    var seen = Set<String>()
    for suite in suites {
      x += testsuite(suite, run: run, attachmentRoot: attachmentRoot, seen: &seen)
    }
    x += "</testsuites>\n"
    return x
  }

  /// One `<testsuite>`: its counts, properties and testcases.
  private static func testsuite(
    _ suite: SuiteGroup, run: RunResult, attachmentRoot: String, seen: inout Set<String>
  ) -> String {
    let tests = suite.tests
    var x =
      "  <testsuite"
      + attributes([
        ("name", suite.name), ("tests", "\(tests.count)"),
        ("failures", "\(tests.filter { $0.verdict == .failed }.count)"),
        ("errors", "\(tests.filter { $0.verdict == .errored }.count)"),
        ("skipped", "\(tests.filter { $0.verdict == .skipped }.count)"),
        ("time", seconds(suite.time)), ("timestamp", UTCTimestamp.junit(run.startedAt)),
      ]) + ">\n"
    x += "    <properties>\n"
    for property in suite.properties {
      x +=
        "      <property" + attributes([("name", property.name), ("value", property.value)])
        + "/>\n"
    }
    x += "    </properties>\n"
    for test in tests {
      var name = test.name
      let classname = test.classname.isEmpty ? run.suite : test.classname
      var n = 2
      while seen.contains(classname + "\u{0}" + name) {
        name = "\(test.name) (\(n))"
        n += 1
      }
      seen.insert(classname + "\u{0}" + name)
      x += testcase(
        test, name: name, classname: classname, rig: suite.rig, attachmentRoot: attachmentRoot)
    }
    x += "  </testsuite>\n"
    return x
  }

  /// The run's properties, then the ones the profile requires if the run did not carry them.
  static func suiteProperties(_ run: RunResult) -> [RunResult.Property] {
    var list: [RunResult.Property] = []
    var names = Set<String>()
    let required: [RunResult.Property] = [
      .init("rig.id", run.rig), .init("run.id", run.runID), .init("timestamp.tz", "UTC"),
    ]
    var extra: [RunResult.Property] = []
    if let interruption = run.interruption { extra.append(.init("run.interruption", interruption)) }
    for property in run.properties + required + extra where !names.contains(property.name) {
      names.insert(property.name)
      list.append(property)
    }
    return list
  }

  private static func testcase(
    _ test: TestResult, name: String, classname: String, rig: RigRun?, attachmentRoot: String
  ) -> String {
    let time = test.verdict == .skipped ? "0.000" : seconds(test.duration)
    var x =
      "    <testcase" + attributes([("name", name), ("classname", classname), ("time", time)])
      + ">\n"
    let attempts = test.earlierAttempts.enumerated().map {
      (number: $0.offset + 1, attempt: $0.element)
    }
    let total = attempts.count + 1
    let failedAttempts = attempts.filter { $0.attempt.verdict == .failed }
    let erroredAttempts = attempts.filter { $0.attempt.verdict != .failed }
    let finalPass = test.verdict == .passed
    let fullLog = test.attachments.first { $0.hasSuffix("console.log") }
      .map { path(attachmentRoot, $0) }

    // Surefire order: failure, rerunFailure*, flakyFailure*, skipped, error, rerunError*,
    // flakyError*.
    if test.verdict == .failed {
      let message = test.message ?? test.violations.first?.description ?? "a limit was violated"
      var lines = [message] + test.violations.map(\.description)
      lines += detailLines(test, excluding: lines)
      x += element(
        "failure", message: message, type: test.errorType ?? "LimitViolation", text: lines,
        fullLog: fullLog)
    }
    for entry in failedAttempts {
      x += attemptElement(
        finalPass ? "flakyFailure" : "rerunFailure", entry.number, of: total, entry.attempt)
    }
    if finalPass, attempts.isEmpty, let flaky = test.flaky {
      // Passed here, failed or errored in another run that fed the same firmware the same frames.
      x += "      <flakyFailure" + attributes([("message", XMLText.oneLine(flaky)), ("type", "FlakyVerdict")])
        + ">\n        <stackTrace>" + XMLText.escapeText(XMLText.cap(XMLText.sanitize(flaky)))
        + "</stackTrace>\n      </flakyFailure>\n"
    }
    if test.verdict == .skipped {
      let reason = XMLText.oneLine(test.message ?? "skipped")
      x +=
        "      <skipped" + attributes([("message", reason)]) + ">" + XMLText.escapeText(reason)
        + "</skipped>\n"
    }
    if test.verdict == .errored {
      let message = test.message ?? "rig could not reach a verdict"
      let lines = [message] + detailLines(test, excluding: [message])
      x += element(
        "error", message: message, type: test.errorType ?? "RigError", text: lines, fullLog: fullLog
      )
    }
    for entry in erroredAttempts {
      x += attemptElement(
        finalPass ? "flakyError" : "rerunError", entry.number, of: total, entry.attempt)
    }

    let out = systemOut(
      test, attempts: total, rig: rig, attachmentRoot: attachmentRoot, fullLog: fullLog)
    if !out.isEmpty { x += "      <system-out>" + XMLText.escapeText(out) + "</system-out>\n" }
    // Passed and skipped tests have no element to carry details: warnings go to system-err.
    if test.verdict == .passed || test.verdict == .skipped, let details = test.details,
      !details.isEmpty
    {
      let text = XMLText.cap(XMLText.sanitize(details))
      x += "      <system-err>" + XMLText.escapeText(text) + "</system-err>\n"
    }
    x += "    </testcase>\n"
    return x
  }

  /// The detail lines not already shown.
  private static func detailLines(_ test: TestResult, excluding shown: [String]) -> [String] {
    guard let details = test.details else { return [] }
    return details.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      .filter { !shown.contains($0) }
  }

  /// `<failure>` or `<error>`: a one-line message attribute, and the message again as the first
  /// line of the text (GitLab shows only the text) followed by the details.
  private static func element(
    _ tag: String, message: String, type: String, text lines: [String], fullLog: String?
  ) -> String {
    var lines = lines
    lines[0] = XMLText.oneLine(lines[0], limit: 10_000)
    let text = XMLText.cap(XMLText.sanitize(lines.joined(separator: "\n")), fullText: fullLog)
    return "      <\(tag)" + attributes([("message", XMLText.oneLine(message)), ("type", type)])
      + ">"
      + XMLText.escapeText(text) + "</\(tag)>\n"
  }

  /// `flakyFailure`, `flakyError`, `rerunFailure` or `rerunError` for an earlier attempt; junit-10
  /// requires `type`, Surefire requires `stackTrace`.
  private static func attemptElement(
    _ tag: String, _ number: Int, of total: Int, _ attempt: AttemptSummary
  ) -> String {
    let fallback = attempt.verdict == .failed ? "LimitViolation" : "RigError"
    let type = attempt.errorType.isEmpty ? fallback : attempt.errorType
    let message =
      attempt.message.isEmpty ? "attempt \(number) \(attempt.verdict.rawValue)" : attempt.message
    let trace = XMLText.cap(
      XMLText.sanitize(
        "attempt \(number) of \(total) \(attempt.verdict.rawValue) after "
          + "\(seconds(attempt.duration)) s: \(message)"
      ))
    return "      <\(tag)" + attributes([("message", XMLText.oneLine(message)), ("type", type)])
      + ">\n"
      + "        <stackTrace>" + XMLText.escapeText(trace) + "</stackTrace>\n"
      + "      </\(tag)>\n"
  }

  /// The console log, then metrics, frame counters, attempts and attachments as marker lines at
  /// the end (Jenkins keeps only the tail of a passing test's output).
  private static func systemOut(
    _ test: TestResult, attempts: Int, rig: RigRun?, attachmentRoot: String, fullLog: String?
  ) -> String {
    var trailer = ""
    // Which rig and board ran it, where a run has several.
    for property in rig.map(testcaseProperties) ?? [] {
      trailer += "[[PROPERTY|\(property.name)=\(property.value)]]\n"
    }
    for metric in test.metrics {
      trailer +=
        "[[PROPERTY|metric.\(metric.metric.rawValue)=\(MetricFormat.number(metric.value))]]\n"
    }
    if !test.frames.isEmpty {
      for field in test.frames.reportFields {
        trailer += "[[PROPERTY|frames.\(field.name)=\(field.value)]]\n"
      }
    }
    if let clipHash = test.clipHash { trailer += "[[PROPERTY|clip.hash=\(clipHash)]]\n" }
    for limit in test.limits ?? [] {
      trailer +=
        "[[PROPERTY|limit.\(limit.metric.rawValue)=\(limit.comparison.rawValue) "
        + "\(MetricFormat.number(limit.threshold))]]\n"
    }
    trailer += baselineProperties(test)
    if attempts > 1 { trailer += "[[PROPERTY|attempts=\(attempts)]]\n" }
    for attachment in test.attachments {
      trailer += "[[ATTACHMENT|\(XMLText.sanitize(path(attachmentRoot, attachment)))]]\n"
    }
    var log = XMLText.sanitize(test.log)
    if !log.isEmpty && !log.hasSuffix("\n") { log += "\n" }
    // The trailer must survive whole, so only the log is shortened to keep the node in bounds.
    log = XMLText.cap(
      log, limit: max(0, XMLText.maxTextBytes - trailer.utf8.count), fullText: fullLog)
    return log + trailer
  }

  /// Relative limits (resolved when a baseline was found), the comparison's verdicts, a missing
  /// baseline, and a flaky mark, as `[[PROPERTY|…]]` lines.
  private static func baselineProperties(_ test: TestResult) -> String {
    var lines = ""
    for limit in test.relativeLimits ?? [] {
      let resolved = test.comparison.flatMap { limit.resolved(against: $0.baselineMetrics) }
      lines +=
        "[[PROPERTY|limit.\(limit.metric.rawValue).relative=\(limit.comparison.rawValue) \(limit.expression)"
        + (resolved.map { " = \(MetricFormat.number($0.threshold))" } ?? "") + "]]\n"
    }
    if test.baselineWarning != nil { lines += "[[PROPERTY|baseline.runs=none]]\n" }
    if let comparison = test.comparison {
      lines += "[[PROPERTY|baseline.runs=\(comparison.baselineRuns.joined(separator: ","))]]\n"
      lines += "[[PROPERTY|compare.verdict=\(comparison.verdict.rawValue)]]\n"
      for judgement in comparison.judgements {
        lines += "[[PROPERTY|compare.\(judgement.aspect.rawValue)=\(judgement.verdict.rawValue)]]\n"
      }
    }
    if let flaky = test.flaky { lines += "[[PROPERTY|flaky=\(XMLText.oneLine(XMLText.sanitize(flaky)))]]\n" }
    return lines
  }

  private static func path(_ root: String, _ attachment: String) -> String {
    var root = root
    while root.hasSuffix("/") { root.removeLast() }
    return root.isEmpty ? attachment : root + "/" + attachment
  }

  private static func attributes(_ pairs: [(String, String)]) -> String {
    pairs.map { " \($0.0)=\"\(XMLText.escapeAttribute(XMLText.sanitize($0.1)))\"" }.joined()
  }

  /// Seconds with three decimals and `.`, never negative: the only form every schema and consumer
  /// reads the same way.
  static func seconds(_ value: Double) -> String {
    MetricFormat.format3(value.isFinite ? max(0, value) : 0)
  }
}

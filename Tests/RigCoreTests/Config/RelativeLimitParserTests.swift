// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("Relative limits in suites")
struct RelativeLimitParserTests {
  @Test(
    "reads a baseline with a factor, an offset up or down, or alone",
    arguments: [
      ("<= baseline * 1.05", Metric.latencyP95, Limit.Comparison.atMost, RelativeLimit.Adjustment.factor(1.05)),
      ("<= baseline + 2", .ramPeak, .atMost, .offset(2)),
      (">= baseline - 0.01", .countExactMatch, .atLeast, .offset(-0.01)),
      ("<=baseline", .countMAE, .atMost, .offset(0)),
    ])
  func parses(_ text: String, _ metric: Metric, _ comparison: Limit.Comparison, _ adjustment: RelativeLimit.Adjustment) throws {
    let limit = try LimitParser.parseRelative(text, for: metric)
    #expect(limit == RelativeLimit(metric, comparison, adjustment))
    #expect(limit?.resolved(against: [MetricValue(metric, 10)]) == Limit(metric, comparison, limit!.threshold(baseline: 10)))
  }

  @Test("an absolute limit is not relative")
  func absolute() throws {
    #expect(try LimitParser.parseRelative("<= 0.15", for: .countMAE) == nil)
  }

  @Test("bad relative limits say what to write", arguments: [
    ("<= 1.05 * baseline", "write the baseline first"),
    ("<= baseline / 2", "for example"),
    ("<= baseline * -1", "not negative"),
    ("<= baseline * 0", "factor such as 1.05"),
    ("baseline", "start with one of"),
  ])
  func problems(_ text: String, _ hint: String) {
    do {
      _ = try LimitParser.parseRelative(text, for: .latencyP95)
      Issue.record("'\(text)' should not parse")
    } catch {
      #expect(error.hint?.contains(hint) == true, "\(error)")
    }
  }

  @Test("frames.changed takes a plain limit: it is counted against the baseline already")
  func framesChanged() throws {
    #expect(try LimitParser.parse("== 0", for: .framesChanged) == Limit(.framesChanged, .equal, 0))
    #expect(throws: LimitParser.Problem.self) { try LimitParser.parseRelative("<= baseline", for: .framesChanged) }
  }

  @Test("a suite keeps relative limits beside the absolute ones they fall back to; off removes both")
  func suite() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("clips/c")
    let suite = try SuiteLoader.load(
      try dir.write(
        "suites/s.yaml",
        """
        suite: s
        defaults:
          limits: { latency.p95_ms: "<= 45", ram.peak_kib: "<= baseline + 2" }
        tests:
          - { name: a, clip: ../clips/c, limits: { latency.p95_ms: "<= baseline * 1.05", frames.changed: "== 0" } }
          - { name: b, clip: ../clips/c, limits: { ram.peak_kib: off } }
        """))
    let a = suite.tests[0]
    #expect(a.limits == [Limit(.latencyP95, .atMost, 45), Limit(.framesChanged, .equal, 0)])
    #expect(a.relativeLimits == [RelativeLimit(.latencyP95, .atMost, .factor(1.05)), RelativeLimit(.ramPeak, .atMost, .offset(2))])
    #expect(suite.tests[1].relativeLimits.isEmpty)
  }

  @Test("a bad relative limit is reported at its file, line and column")
  func located() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("clips/c")
    let file = try dir.write(
      "s.yaml",
      """
      suite: s
      tests:
        - { name: a, clip: clips/c, limits: { latency.p95_ms: "<= baseline x 2" } }
      """)
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    #expect(brief(found).first?.hasPrefix("3:57: tests[0].limits.latency.p95_ms: expected '* factor'") == true, "\(brief(found))")
    #expect(found.first?.location.file == file.displayPath)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("results.json")
struct JSONRendererTests {
  @Test("holds the whole run plus format and summary, and reads back to the same run")
  func roundTrip() throws {
    let text = try JSONRenderer.render(ReportSamples.run)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["format"] as? String == "rig.results/1")
    #expect(object["runID"] as? String == "20261125-204005-demo")
    #expect(object["startedAt"] as? String == "2026-11-25T20:40:05.123Z")
    let summary = try #require(object["summary"] as? [String: Any])
    #expect(summary["tests"] as? Int == 5)
    #expect(summary["passed"] as? Int == 2)
    #expect(summary["failed"] as? Int == 1)
    #expect(summary["errored"] as? Int == 1)
    #expect(summary["skipped"] as? Int == 1)
    #expect(summary["flaky"] as? Int == 1)
    #expect(summary["worstVerdict"] as? String == "errored")
    #expect(summary["exitStatus"] as? Int == 2)
    #expect(try JSONRenderer.parse(Data(text.utf8)) == ReportSamples.run)
  }

  @Test("is stable: the same run renders to the same bytes, keys sorted")
  func stable() throws {
    let a = try JSONRenderer.render(ReportSamples.run)
    let b = try JSONRenderer.render(try JSONRenderer.parse(Data(a.utf8)))
    #expect(a == b)
    let topKeys = a.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map {
      $0.split(separator: "\"")[1]
    }
    #expect(topKeys == topKeys.sorted())
    #expect(topKeys.contains("summary") && topKeys.contains("tests"))
  }

  @Test("metrics that could not be computed are written as strings, not invalid JSON")
  func nonFinite() throws {
    var run = ReportSamples.run
    run.tests[0].metrics = [MetricValue(.countMAE, .nan), MetricValue(.latencyMax, -.infinity)]
    let text = try JSONRenderer.render(run)
    #expect(text.contains("\"value\" : \"nan\""))
    #expect(text.contains("\"value\" : \"-inf\""))
    let back = try JSONRenderer.parse(Data(text.utf8))
    #expect(back.tests[0].metrics[0].value.isNaN)
  }

  @Test("a file of another kind is refused with a clear message")
  func refusesOthers() {
    #expect { try JSONRenderer.parse(Data("{\"a\":1}".utf8)) } throws: {
      "\($0)".contains("not a rig results.json")
    }
  }
}

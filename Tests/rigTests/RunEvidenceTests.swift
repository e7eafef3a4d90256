// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// The fault matrix's invariants catch what they are there to catch.
@Suite("run evidence invariants")
struct RunEvidenceTests {
  /// A run folder of one test, its reports written as given.
  private func folder(
    events verdict: String, results: String, junit: String, board: String = "off", exit: Int = 2
  ) throws -> URL {
    let rig = try RigCommand()
    let frames = #"{"sent":10,"matched":10,"notSent":0}"#
    try rig.write(
      "run/events.ndjson",
      """
      {"event":"board_state","state":"\(board)"}
      {"event":"test_finished","name":"t","verdict":"\(verdict)","errorType":"Hang","message":"m","frames":\(frames)}
      {"event":"run_finished","exitStatus":\(exit)}

      """)
    try rig.write(
      "run/results.json",
      #"{"tests":[{"name":"t","verdict":"\#(results)","errorType":"Hang","message":"m","frames":\#(frames)}]}"#)
    try rig.write(
      "run/junit.xml",
      #"<testsuites><testsuite><testcase name="t">\#(junit)</testcase></testsuite></testsuites>"#)
    return rig.scratch.appendingPathComponent("run")
  }

  @Test("agreeing reports of a DUT hang keep every invariant")
  func agreeing() throws {
    let evidence = try RunEvidence(folder(events: "errored", results: "errored", junit: #"<error message="m" type="Hang"/>"#))
    #expect(evidence.problems(status: 2, dutAtFault: true).isEmpty)
  }

  @Test("a verdict that differs between the reports, a wrong exit, the board left on, a DUT wrongly blamed")
  func disagreeing() throws {
    let evidence = try RunEvidence(
      folder(events: "errored", results: "errored", junit: #"<failure message="m" type="Hang"/>"#, board: "booted"))
    let problems = evidence.problems(status: 1, dutAtFault: false).joined(separator: "\n")
    #expect(problems.contains("junit.xml"), "\(problems)")
    #expect(problems.contains("exit status 1, documented 2"), "\(problems)")
    #expect(problems.contains("not off"), "\(problems)")
    #expect(problems.contains("blamed on the DUT"), "\(problems)")
    let events = try RunEvidence(folder(events: "passed", results: "errored", junit: #"<error message="m" type="Hang"/>"#))
    #expect(events.problems(status: 2, dutAtFault: true).contains { $0.hasPrefix("events say") })
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// One run folder read back through each of its three reports, and the invariants every run keeps
/// whatever went wrong in it: the exit status the verdicts call for, the bench switched off, each
/// test's outcome the same in events.ndjson, results.json and junit.xml, and no test blamed on the
/// DUT for a cause outside it.
struct RunEvidence {
  /// What one report says of one test.
  struct Outcome: Equatable, CustomStringConvertible {
    var name: String
    var verdict: String
    var errorType: String?
    var message: String?

    var description: String {
      "\(name): \(verdict)" + (errorType.map { " [\($0)]" } ?? "") + (message.map { " \($0)" } ?? "")
    }
  }

  /// The error types that say the DUT misbehaved (it stopped answering, broke the protocol, or
  /// did not finish in time), as opposed to the bench, rig or the user.
  static let dutBlame: Set<String> = ["Hang", "Timeout", "ProtocolError"]

  let folder: URL
  /// `test_finished` events: the tests that completed, in order.
  let fromEvents: [Outcome]
  /// Every test of the run, from results.json and from junit.xml.
  let fromResults: [Outcome]
  let fromJUnit: [Outcome]
  /// Frame accounting per completed test, from the events and from results.json.
  let framesFromEvents: [String: [String: Int]]
  let framesFromResults: [String: [String: Int]]
  let runFinishedStatus: Int?
  let lastBoardState: String?

  init(_ folder: URL) throws {
    self.folder = folder
    let events = try String(contentsOf: folder.appendingPathComponent("events.ndjson"), encoding: .utf8)
      .split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }
    let finished = events.filter { $0["event"] as? String == "test_finished" }
    fromEvents = finished.map(Self.outcome)
    framesFromEvents = Dictionary(finished.map { ($0["name"] as? String ?? "", Self.counts($0["frames"])) }) { $1 }
    runFinishedStatus = events.last { $0["event"] as? String == "run_finished" }?["exitStatus"] as? Int
    lastBoardState = events.last { $0["event"] as? String == "board_state" }?["state"] as? String

    let results = try JSONSerialization.jsonObject(
      with: Data(contentsOf: folder.appendingPathComponent("results.json"))) as? [String: Any]
    let tests = results?["tests"] as? [[String: Any]] ?? []
    fromResults = tests.map(Self.outcome)
    framesFromResults = Dictionary(tests.map { ($0["name"] as? String ?? "", Self.counts($0["frames"])) }) { $1 }
    fromJUnit = try JUnitOutcomes.read(folder.appendingPathComponent("junit.xml"))
  }

  private static func outcome(_ object: [String: Any]) -> Outcome {
    Outcome(
      name: object["name"] as? String ?? "?", verdict: object["verdict"] as? String ?? "?",
      errorType: object["errorType"] as? String, message: object["message"] as? String)
  }

  private static func counts(_ value: Any?) -> [String: Int] {
    (value as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
  }

  /// The exit status rig documents for these verdicts (DESIGN §7), or for the signal that ended
  /// the run (128 + its number).
  func documentedStatus(signal: Int32? = nil) -> Int32 {
    if let signal { return 128 + signal }
    let verdicts = fromResults.map(\.verdict)
    if verdicts.contains("errored") { return 2 }
    if verdicts.contains("failed") { return 1 }
    return 0
  }

  /// Every invariant that does not hold, in words; empty when the run kept them all.
  /// `status` is rig's exit status; `signal` the signal sent to it, if any; `dutAtFault` whether
  /// the cause was the DUT's own (a hang, a reset), so that blaming it is right.
  func problems(status: Int32?, signal: Int32? = nil, dutAtFault: Bool) -> [String] {
    var problems: [String] = []
    let documented = documentedStatus(signal: signal)
    if status != documented { problems.append("exit status \(status.map(String.init) ?? "none"), documented \(documented)") }
    if runFinishedStatus.map(Int32.init) != status {
      problems.append("run_finished says exit \(runFinishedStatus.map(String.init) ?? "nothing"), rig exited \(status.map(String.init) ?? "none")")
    }
    if lastBoardState != "off" { problems.append("the last board state is \(lastBoardState ?? "never reported"), not off") }
    // junit.xml carries each message on one line (XMLText.oneLine).
    let results = fromResults.map {
      Outcome(name: $0.name, verdict: $0.verdict, errorType: $0.errorType, message: $0.message.map { XMLText.oneLine($0) })
    }
    if results != fromJUnit { problems.append("results.json says \(results), junit.xml \(fromJUnit)") }
    for finished in fromEvents {
      guard let result = fromResults.first(where: { $0.name == finished.name }) else {
        problems.append("\(finished.name) finished in the events but is not in results.json")
        continue
      }
      if result != finished { problems.append("events say \(finished), results.json \(result)") }
      if framesFromEvents[finished.name] != framesFromResults[finished.name] {
        problems.append("\(finished.name): frames \(framesFromEvents[finished.name] ?? [:]) in the events, "
          + "\(framesFromResults[finished.name] ?? [:]) in results.json")
      }
    }
    if !dutAtFault {
      for test in fromResults where test.errorType.map(Self.dutBlame.contains) == true {
        problems.append("\(test.name) blamed on the DUT: \(test)")
      }
    }
    if signal != nil {
      let unfinished = fromResults.filter { test in !fromEvents.contains { $0.name == test.name } }
      for test in unfinished where test.errorType != "Interrupted" && test.verdict != "skipped" {
        problems.append("\(test.name) was cut short by the signal but is \(test)")
      }
      for test in fromEvents.suffix(1) where test.verdict == "errored" && test.errorType != "Interrupted" {
        problems.append("the test the signal stopped is \(test), not Interrupted")
      }
    }
    return problems
  }
}

/// The outcome of each `<testcase>` of a junit.xml.
private final class JUnitOutcomes: NSObject, XMLParserDelegate {
  private var outcomes: [RunEvidence.Outcome] = []

  static func read(_ url: URL) throws -> [RunEvidence.Outcome] {
    let parser = XMLParser(data: try Data(contentsOf: url))
    let reader = JUnitOutcomes()
    parser.delegate = reader
    guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
    return reader.outcomes
  }

  func parser(
    _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    switch element {
    case "testcase":
      outcomes.append(.init(name: attributes["name"] ?? "?", verdict: "passed", errorType: nil, message: nil))
    case "failure", "error", "skipped":
      guard !outcomes.isEmpty else { return }
      let verdict = ["failure": "failed", "error": "errored", "skipped": "skipped"][element]!
      outcomes[outcomes.count - 1].verdict = verdict
      outcomes[outcomes.count - 1].errorType = element == "skipped" ? nil : attributes["type"]
      outcomes[outcomes.count - 1].message = attributes["message"]
    default:
      break
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

@testable import RigCore

@Suite("JUnit renderer")
struct JUnitRendererTests {
  let xml = JUnitRenderer.render(ReportSamples.run, attachmentRoot: "Reports/20261125-204005-demo")

  private func tree() throws -> XMLTree {
    switch XMLTree.parse(xml) {
    case .success(let root): return root
    case .failure(let failure):
      Issue.record("the JUnit is not well-formed XML: \(failure)")
      throw failure
    }
  }

  private func testcase(_ name: String) throws -> XMLTree {
    let suite = try #require(try tree().first("testsuite"))
    return try #require(suite.all("testcase").first { $0["name"] == name })
  }

  private func scratchFile(_ name: String, _ text: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rig-junit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
  }

  @Test("the whole file validates against Jenkins xUnit junit-10.xsd with xmllint")
  func validatesAgainstJUnit10() async throws {
    guard Xmllint.executable != nil else {
      Issue.record(Comment(rawValue: Xmllint.missingMessage))
      return
    }
    let file = try scratchFile("junit.xml", xml)
    let result = try await Xmllint.run(["--noout", "--schema", Xmllint.junit10.path, file.path])
    #expect(result.status == 0, "xmllint: \(result.stderr)")
    #expect(result.stderr.contains("validates"), "xmllint: \(result.stderr)")
  }

  @Test("each testsuite validates against the Maven Surefire XSD with xmllint")
  func validatesAgainstSurefire() async throws {
    guard Xmllint.executable != nil else {
      Issue.record(Comment(rawValue: Xmllint.missingMessage))
      return
    }
    let file = try scratchFile("junit.xml", xml)
    let count = try await Xmllint.run(["--xpath", "count(/testsuites/testsuite)", file.path])
    let suites = Int(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    #expect(suites == 1)
    for index in 1...max(1, suites) {
      let extracted = try await Xmllint.run(["--xpath", "/testsuites/testsuite[\(index)]", file.path])
      #expect(extracted.status == 0, "xmllint --xpath: \(extracted.stderr)")
      let suiteFile = try scratchFile(
        "suite-\(index).xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + extracted.stdout)
      let result = try await Xmllint.run(["--noout", "--schema", Xmllint.surefire.path, suiteFile.path])
      #expect(result.status == 0, "suite \(index): \(result.stderr)")
      #expect(result.stderr.contains("validates"), "suite \(index): \(result.stderr)")
    }
  }

  @Test("xmllint rejects a file with a raw ESC, so the validation tests can fail")
  func validatorRejectsEscape() async throws {
    guard Xmllint.executable != nil else {
      Issue.record(Comment(rawValue: Xmllint.missingMessage))
      return
    }
    let broken = xml.replacingOccurrences(of: "boot ok", with: "boot \u{1B}[1m ok")
    #expect(broken != xml)
    let file = try scratchFile("broken.xml", broken)
    let result = try await Xmllint.run(["--noout", "--schema", Xmllint.junit10.path, file.path])
    #expect(result.status != 0)
  }

  @Test("root and suite counts equal the testcase children")
  func countsMatchChildren() throws {
    let root = try tree()
    #expect(root.name == "testsuites")
    #expect(Set(root.attributes.keys) == ["name", "tests", "failures", "errors", "time"])
    let suites = root.all("testsuite")
    #expect(suites.count == 1)
    let suite = try #require(suites.first)
    let cases = suite.all("testcase")
    let failures = cases.filter { $0.first("failure") != nil }.count
    let errors = cases.filter { $0.first("error") != nil }.count
    let skipped = cases.filter { $0.first("skipped") != nil }.count
    #expect(cases.count == 5)
    #expect((failures, errors, skipped) == (1, 1, 1))
    #expect(suite["tests"] == "\(cases.count)")
    #expect(suite["failures"] == "\(failures)")
    #expect(suite["errors"] == "\(errors)")
    #expect(suite["skipped"] == "\(skipped)")
    #expect(root["tests"] == "\(cases.count)")
    #expect(root["failures"] == "\(failures)")
    #expect(root["errors"] == "\(errors)")
    #expect(suite["hostname"] == nil)
    #expect(suite["name"] == "demo@sim")
    #expect(suite["timestamp"] == "2026-11-25T20:40:05")
    #expect(suite["time"] == "36.000")
    #expect(suite.children.first?.name == "properties")
  }

  @Test("properties carry the run's metadata with timestamp.tz=UTC")
  func properties() throws {
    let suite = try #require(try tree().first("testsuite"))
    let properties = try #require(suite.first("properties")).all("property")
    let values = Dictionary(
      properties.map { ($0["name"] ?? "", $0["value"] ?? "") }, uniquingKeysWith: { a, _ in a })
    #expect(values["rig.id"] == "sim")
    #expect(values["rig.board"] == "mimxrt1060-evk")
    #expect(values["run.id"] == "20261125-204005-demo")
    #expect(values["suite.file"] == "Fixtures/suites/demo.yaml")
    #expect(values["tool.version"] == "rig 0.1.0")
    #expect(values["timestamp.tz"] == "UTC")
    #expect(values["fw.version"] == "1.4.2 \"beta\" <rc1>")
    #expect(properties.count == values.count, "no property is written twice")
  }

  @Test("testcase children follow Surefire order")
  func childOrder() throws {
    let order = [
      "failure", "rerunFailure", "flakyFailure", "skipped", "error", "rerunError", "flakyError",
      "system-out", "system-err",
    ]
    let suite = try #require(try tree().first("testsuite"))
    for testcase in suite.all("testcase") {
      let ranks = testcase.children.map { order.firstIndex(of: $0.name) ?? -1 }
      #expect(!ranks.contains(-1), "\(testcase["name"] ?? ""): unexpected child")
      #expect(
        ranks == ranks.sorted(), "\(testcase["name"] ?? ""): \(testcase.children.map(\.name))")
      let verdicts = testcase.children.filter { ["failure", "skipped", "error"].contains($0.name) }
      #expect(verdicts.count <= 1)
      for attribute in ["name", "classname", "time"] { #expect(testcase[attribute] != nil) }
    }
  }

  @Test("a failure carries LimitViolation, a one-line message and every violation in its text")
  func failure() throws {
    let failure = try #require(try testcase("corridor-busy").first("failure"))
    #expect(failure["type"] == "LimitViolation")
    let message = try #require(failure["message"])
    #expect(message == "2 limits violated: count.mae, latency.p95_ms")
    let lines = failure.text.split(separator: "\n").map(String.init)
    #expect(lines.first == message)
    #expect(lines.contains("count.mae = 0.412 (limit <= 0.15)"))
    #expect(lines.contains("latency.p95_ms = 51.5 (limit <= 45)"))
    #expect(lines.filter { $0.hasPrefix("count.mae =") }.count == 1, "details are not repeated")
  }

  @Test("an error keeps its type and message; the skip reason is in attribute and text")
  func errorAndSkip() throws {
    let error = try #require(try testcase("lighting-change").first("error"))
    #expect(error["type"] == "Hang")
    #expect(error["message"] == "no frame result arrived within 5 s: the DUT stopped answering")
    #expect(error.text.hasPrefix("no frame result arrived"))
    #expect(error.text.contains("watchdog fired at frame 17"))
    #expect(error.text.contains("panic #x00#x01"))

    let skippedCase = try testcase("empty-room")
    let skipped = try #require(skippedCase.first("skipped"))
    #expect(skipped["message"] == "rig 'sim' has no result pin <needed by this test>")
    #expect(skipped.text == skipped["message"])
    #expect(skipped["type"] == nil)
    #expect(skippedCase["time"] == "0.000")
  }

  @Test("a flaky pass lists its earlier attempts as flakyError and flakyFailure with stackTrace")
  func flaky() throws {
    let testcase = try testcase("flaky-link")
    #expect(testcase.first("failure") == nil && testcase.first("error") == nil)
    let flakyFailure = try #require(testcase.first("flakyFailure"))
    let flakyError = try #require(testcase.first("flakyError"))
    #expect(flakyFailure["type"] == "LimitViolation")
    #expect(flakyError["type"] == "RigError")
    #expect(flakyError["message"] == "serial port /dev/ttyACM0 vanished")
    #expect(flakyError.first("stackTrace")?.text.contains("attempt 1 of 3 errored") == true)
    #expect(flakyFailure.first("stackTrace")?.text.contains("attempt 2 of 3 failed") == true)
    let out = try #require(testcase.first("system-out")).text
    #expect(out.contains("[[PROPERTY|attempts=3]]\n"))
  }

  @Test("a final failure after retries lists the other attempts as rerunFailure and rerunError")
  func reruns() throws {
    var run = ReportSamples.run
    run.tests = [ReportSamples.failed]
    run.tests[0].earlierAttempts = [
      AttemptSummary(verdict: .errored, message: "boot timeout", errorType: "Timeout", duration: 1),
      AttemptSummary(
        verdict: .failed, message: "count.mae = 0.5 (limit <= 0.15)", errorType: "LimitViolation",
        duration: 2),
    ]
    let xml = JUnitRenderer.render(run, attachmentRoot: "")
    let root = try #require(try? XMLTree.parse(xml).get())
    let testcase = try #require(root.first("testsuite")?.first("testcase"))
    #expect(
      testcase.children.map(\.name) == ["failure", "rerunFailure", "rerunError", "system-out"])
    #expect(testcase.first("rerunError")?["type"] == "Timeout")
    #expect(testcase.first("rerunError")?.first("stackTrace") != nil)
  }

  @Test("system-out ends with metric, frame and attachment lines")
  func systemOutTrailer() throws {
    let out = try #require(try testcase("corridor-day").first("system-out")).text
    let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first == "boot ok")
    #expect(lines.contains("[[PROPERTY|metric.count.exact_match=0.95]]"))
    #expect(lines.contains("[[PROPERTY|metric.count.mae=0.05]]"))
    #expect(lines.contains("[[PROPERTY|metric.latency.p95_ms=31.25]]"))
    #expect(lines.contains("[[PROPERTY|metric.ram.peak_kib=402.5]]"))
    #expect(lines.contains("[[PROPERTY|frames.sent=120]]"))
    #expect(lines.contains("[[PROPERTY|frames.bad_checksum=0]]"))
    #expect(!lines.contains { $0.hasPrefix("[[PROPERTY|attempts") })
    let tail = Array(lines.suffix(3))
    #expect(
      tail == [
        "[[ATTACHMENT|Reports/20261125-204005-demo/artifacts/corridor-day/frames.csv]]",
        "[[ATTACHMENT|Reports/20261125-204005-demo/artifacts/corridor-day/console.log]]", "",
      ])
  }

  @Test(
    "nasty log text is cleaned: ANSI stripped, control characters visible, DEL dropped, emoji kept")
  func nastyText() throws {
    let out = try #require(try testcase("corridor-busy").first("system-out")).text
    #expect(
      out.hasPrefix("red alert <&\"> NUL:#x00 bell:#x07 del: emoji: \u{1F6B6}\u{1F3FD} done\n"))
    #expect(!xml.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0 || $0.value == 0x7F })
    #expect(!xml.contains("&#27;"))
  }

  @Test("a 2 MiB log is cut to at most 1 MiB, keeping head, tail and the trailer")
  func hugeLog() throws {
    let out = try #require(try testcase("lighting-change").first("system-out")).text
    #expect(out.utf8.count <= 1 << 20)
    #expect(out.utf8.count > (1 << 20) - 1024)
    #expect(out.hasPrefix("HEAD-OF-LOG\n"))
    #expect(out.contains("TAIL-OF-LOG\n[[PROPERTY|frames.sent=17]]"))
    #expect(
      out.contains(
        "bytes; full log: Reports/20261125-204005-demo/artifacts/lighting-change/console.log]..."))
    #expect(
      out.hasSuffix(
        "[[ATTACHMENT|Reports/20261125-204005-demo/artifacts/lighting-change/console.log]]\n"))
    #expect(xml.utf8.count < 2 * 1024 * 1024)
  }

  @Test("an empty run still has one testcase, skipped, so consumers keep the suite")
  func emptyRun() throws {
    var run = ReportSamples.run
    run.tests = []
    let root = try #require(try? XMLTree.parse(JUnitRenderer.render(run, attachmentRoot: "")).get())
    let suite = try #require(root.first("testsuite"))
    #expect(suite.all("testcase").count == 1)
    #expect(suite["tests"] == "1" && suite["skipped"] == "1")
  }

  @Test("duplicate test names are made unique, since GitLab drops repeats")
  func duplicates() throws {
    var run = ReportSamples.run
    run.tests = [ReportSamples.passed, ReportSamples.passed]
    let root = try #require(try? XMLTree.parse(JUnitRenderer.render(run, attachmentRoot: "")).get())
    let names = root.first("testsuite")?.all("testcase").compactMap { $0["name"] }
    #expect(names == ["corridor-day", "corridor-day (2)"])
  }

  @Test("times have three decimals, never negative; interruption becomes a property")
  func timesAndInterruption() throws {
    var run = ReportSamples.run
    run.duration = -3
    run.tests = [ReportSamples.passed]
    run.tests[0].duration = .nan
    run.interruption = "SIGINT"
    let root = try #require(try? XMLTree.parse(JUnitRenderer.render(run, attachmentRoot: "")).get())
    #expect(root["time"] == "0.000")
    #expect(root.first("testsuite")?.first("testcase")?["time"] == "0.000")
    let properties = root.first("testsuite")?.first("properties")?.all("property") ?? []
    #expect(properties.contains { $0["name"] == "run.interruption" && $0["value"] == "SIGINT" })
  }
}

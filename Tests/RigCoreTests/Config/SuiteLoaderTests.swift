// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite struct SuiteLoaderTests {
  static let validSuite = """
    suite: people-counting-demo
    firmware: { image: ../firmware/counting.bin }
    defaults:
      timeout: 45s
      retries: 1
      limits: { count.exact_match: ">= 0.90", count.mae: "<= 0.15", latency.p95_ms: "<= 45", ram.peak_kib: "<= 512" }
    tests:
      - name: corridor-day
        clip: ../clips/corridor-day
        tags: [smoke, day]
        timeout: 30s
        retries: 2
        limits: { count.max_abs_error: "== 0", latency.p95_ms: off, count.mae: "<= 0.3" }
      - name: corridor-again
        clip: ../clips/corridor-day
        skip: "camera mount changed, relabel first"
    """

  @Test("loads a valid suite with its clips, firmware and per-test settings")
  func loadsValidSuite() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("clips/corridor-day", frames: 5)
    try dir.write("firmware/counting.bin", bytes: [0x00, 0x20, 0x00, 0x20])
    let suite = try SuiteLoader.load(try dir.write("suites/demo.yaml", Self.validSuite))

    #expect(suite.name == "people-counting-demo")
    #expect(suite.firmware?.path == dir.url.appendingPathComponent("firmware/counting.bin").path)
    #expect(suite.tests.map(\.name) == ["corridor-day", "corridor-again"])
    let first = suite.tests[0]
    let second = suite.tests[1]
    #expect(first.tags == ["smoke", "day"])
    #expect(first.timeout == .seconds(30))
    #expect(first.retries == 2)
    #expect(first.skipReason == nil)
    #expect(first.clip.frameCount == 5)
    #expect(first.clip.manifest.name == "corridor-day")
    #expect(first.location.line == 8)
    #expect(first.location.column == 5)
    #expect(second.timeout == .seconds(45))
    #expect(second.retries == 1)
    #expect(second.skipReason == "camera mount changed, relabel first")
    #expect(second.clip.directory == first.clip.directory)
  }

  @Test("merges test limits over the defaults per metric, in metric order")
  func mergesLimits() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("clips/corridor-day")
    try dir.write("firmware/counting.bin", bytes: [1])
    let suite = try SuiteLoader.load(try dir.write("suites/demo.yaml", Self.validSuite))

    // The test replaces count.mae, adds count.max_abs_error and switches latency.p95_ms off.
    #expect(
      suite.tests[0].limits == [
        Limit(.countExactMatch, .atLeast, 0.9), Limit(.countMAE, .atMost, 0.3),
        Limit(.countMaxAbsError, .equal, 0), Limit(.ramPeak, .atMost, 512),
      ])
    #expect(
      suite.tests[1].limits == [
        Limit(.countExactMatch, .atLeast, 0.9), Limit(.countMAE, .atMost, 0.15),
        Limit(.latencyP95, .atMost, 45), Limit(.ramPeak, .atMost, 512),
      ])
  }

  @Test("applies the documented defaults when the suite sets none")
  func defaults() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("clips/c")
    let suite = try SuiteLoader.load(
      try dir.write("s.yaml", "suite: s\ntests:\n  - { name: t, clip: clips/c }\n"))
    #expect(suite.firmware == nil)
    #expect(suite.tests[0].timeout == .seconds(60))
    #expect(suite.tests[0].retries == 0)
    #expect(suite.tests[0].limits.isEmpty)
    #expect(suite.tests[0].tags.isEmpty)
  }

  @Test("reports every mistake of a file at once, each at its line and column")
  func severalMistakes() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("clips/c")
    let file = try dir.write(
      "suites/bad.yaml",
      """
      suite: demo
      defaults:
        timout: 30s
        limits: { count.mae: 0.15 }
      tests:
        - name: a
          clip: ../clips/c
          timeout: [1, 2]
          retries: 7
        - name: a
          clip: ../clips/c
        - clip: ../clips/c
      """)
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    #expect(
      brief(found) == [
        "3:3: defaults.timout: unknown key 'timout'",
        "4:24: defaults.limits.count.mae: a limit needs a comparison, found the bare number 0.15",
        "8:14: tests[0].timeout: expected a duration such as 30s, 500ms or 1m30s, found [1, 2]",
        "9:14: tests[0].retries: 7 is out of range",
        "10:5: tests[1].name: test name 'a' is already used",
        "12:5: tests[2].name: missing required key 'name'",
      ])
    #expect(found[0].hint == "did you mean 'timeout'?")
    #expect(found[1].hint == #"write "<= 0.15" or ">= 0.15""#)
    #expect(found[3].hint == "allowed: 0 to 5")
    #expect(found.allSatisfy { $0.location.file == file.displayPath })
  }

  @Test("unknown metrics, scalar tags and a boolean skip get specific hints")
  func specificHints() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("clips/c")
    let file = try dir.write(
      "s.yaml",
      """
      suite: s
      tests:
        - name: t
          clip: clips/c
          limits: { count: { mae: "<= 1" }, latency.p59_ms: "< 3" }
          tags: smoke
          skip: true
      """)
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    #expect(
      brief(found) == [
        "5:15: tests[0].limits.count: unknown metric 'count'",
        "5:39: tests[0].limits.latency.p59_ms: unknown metric 'latency.p59_ms'",
        "6:11: tests[0].tags: expected a list of tags, found smoke",
        "7:11: tests[0].skip: skip takes the reason the test is skipped",
      ])
    #expect(
      found.map(\.hint) == [
        "write flat keys such as count.exact_match, not a nested mapping",
        "did you mean 'latency.p50_ms'?",
        "write tags: [smoke]",
        #"write skip: "why it is skipped"; to run the test, remove the key"#,
      ])
  }

  @Test("a missing clip folder is reported at the clip key with the resolved path")
  func missingClip() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write(
      "suites/s.yaml", "suite: s\ntests:\n  - name: t\n    clip: ../clips/nope\n")
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    let resolved = dir.url.appendingPathComponent("clips/nope").standardizedFileURL.path
    #expect(brief(found) == ["4:11: tests[0].clip: clip folder not found: \(resolved)"])
    #expect(found.first?.location.file == file.displayPath)
  }

  @Test("firmware must exist and be a .bin, .hex or .elf file")
  func firmware() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("clips/c")
    try dir.write("fw.txt", "not an image")
    let missing = try dir.write(
      "a.yaml", "suite: s\nfirmware: { image: fw.bin }\ntests:\n  - { name: t, clip: clips/c }\n")
    let wrongKind = try dir.write(
      "b.yaml", "suite: s\nfirmware: { image: fw.txt }\ntests:\n  - { name: t, clip: clips/c }\n")
    let fwPath = dir.url.appendingPathComponent("fw.bin").path
    #expect(
      brief(issues { () throws(ConfigError) in try SuiteLoader.load(missing) }) == [
        "2:20: firmware.image: firmware image not found: \(fwPath)"
      ])
    #expect(
      brief(issues { () throws(ConfigError) in try SuiteLoader.load(wrongKind) }) == [
        "2:20: firmware.image: 'fw.txt' is not a firmware image rig can flash"
      ])
  }

  @Test("problems of the suite and of its clips come together, each clip's once")
  func suiteAndClipIssuesTogether() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("clips/c", frames: 3)
    try dir.write("clips/c/labels.csv", "frame,count\n0,1\n1,-1\n2,0\n")
    try dir.remove("clips/c/frames/000002.pgm")
    let file = try dir.write(
      "suites/s.yaml",
      """
      suite: s
      tests:
        - { name: a, clip: ../clips/c, retries: many }
        - { name: b, clip: ../clips/c }
      """)
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    #expect(found.count == 3)
    #expect(brief(found).first == "3:43: tests[0].retries: expected a whole number, found many")
    #expect(
      found[1].location
        == SourceLocation(file: dir.display("clips/c/labels.csv"), line: 3, column: 3))
    #expect(found[1].message == "count must be a whole number 0 or more, found '-1'")
    #expect(found[2].location.file == dir.display("clips/c/frames/000002.pgm"))
    #expect(found[2].message == "frame 2 not found")
  }

  @Test("an empty test list and a document that is not a mapping are refused")
  func shapes() throws {
    let dir = try TemporaryDirectory()
    let empty = try dir.write("a.yaml", "suite: s\ntests: []\n")
    let list = try dir.write("b.yaml", "- a\n- b\n")
    let nothing = try dir.write("c.yaml", "# nothing here\n")
    #expect(
      brief(issues { () throws(ConfigError) in try SuiteLoader.load(empty) }) == [
        "2:8: tests: the suite has no tests"
      ])
    #expect(
      brief(issues { () throws(ConfigError) in try SuiteLoader.load(list) }) == [
        "1:1: expected a suite (suite:, tests:, …), found [a, b]"
      ])
    #expect(
      issues { () throws(ConfigError) in try SuiteLoader.load(nothing) }.map(\.message) == [
        "suite file is empty"
      ])
  }

  @Test("a suite file that does not exist is reported by its path")
  func missingSuite() throws {
    let dir = try TemporaryDirectory()
    let file = dir.url.appendingPathComponent("nope.yaml")
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    #expect(found.map(\.message) == ["suite file not found: \(file.path)"])
    #expect(found.first?.location == SourceLocation(file: file.displayPath))
  }

  @Test("merge keys share settings between tests")
  func mergeKeys() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("clips/c")
    let file = try dir.write(
      "s.yaml",
      """
      suite: s
      tests:
        - &common { name: a, clip: clips/c, timeout: 5s, tags: [night] }
        - { <<: *common, name: b, timeout: 7s }
      """)
    let suite = try SuiteLoader.load(file)
    #expect(suite.tests.map(\.name) == ["a", "b"])
    #expect(suite.tests.map(\.timeout) == [.seconds(5), .seconds(7)])
    #expect(suite.tests[1].tags == ["night"])
  }
}

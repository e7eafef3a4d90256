// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("files CI hands rig: a quarantine list, a pool file, a suite that does not load")
struct SelectionFilesTests {
  @Test("a quarantine list skips listed tests with its reason and keeps rig-bound ones off those rigs")
  func quarantineList() throws {
    let folder = try FixtureTempFolder()
    let file = folder.url.appendingPathComponent("known-bad.yaml")
    try Data(
      """
      - tests: [a]
        reason: "FW-1: wrong"
      - tests: [b, ghost]
        rigs: [bench-02]
        reason: flaky emulator
      """.utf8
    ).write(to: file)
    let list = try KnownBadTests.load(file, files: localFiles)
    let tests = list.apply(to: [PoolSamples.test("a", frames: 1), PoolSamples.test("b", frames: 1), PoolSamples.test("c", frames: 1)])
    #expect(tests[0].skipReason == "quarantined: FW-1: wrong (\(file.displayPath):1)")
    #expect(tests[1].skipReason == nil && tests[1].quarantinedOn["bench-02"]?.hasPrefix("quarantined: flaky emulator") == true)
    #expect(tests[2].skipReason == nil && tests[2].quarantinedOn.isEmpty)
    #expect(list.unknownNames(in: tests) == ["ghost"])

    try Data("- tests: [a]\n  reason: x\n  rig: [b]\n".utf8).write(to: file)
    #expect(throws: ConfigError.self) { try KnownBadTests.load(file, files: localFiles) }
  }

  @Test("a pool file names existing rig files, each once, relative to itself")
  func poolFile() throws {
    let folder = try FixtureTempFolder()
    for name in ["a", "b"] { try Data("rig: \(name)\n".utf8).write(to: folder.url.appendingPathComponent("\(name).yaml")) }
    let file = folder.url.appendingPathComponent("pool.yaml")
    try Data("pool: farm\nrigs: [a.yaml, b.yaml]\n".utf8).write(to: file)
    let pool = try PoolLoader.load(file, files: localFiles)
    #expect(pool.name == "farm" && pool.rigs.map(\.lastPathComponent) == ["a.yaml", "b.yaml"])
    try Data("pool: farm\nrigs: [a.yaml, a.yaml, c.yaml]\n".utf8).write(to: file)
    do {
      _ = try PoolLoader.load(file, files: localFiles)
      Issue.record("a bad pool file loaded")
    } catch {
      let text = error.issues.map(\.description).joined(separator: "\n")
      #expect(text.contains(":2:") && text.contains("a.yaml is listed twice") && text.contains("rig file not found"), "\(text)")
    }
  }

  @Test("what can be read of a suite that does not load: its tests' names, or one stand-in")
  func outline() throws {
    let folder = try FixtureTempFolder()
    let file = folder.url.appendingPathComponent("nightly.yaml")
    try Data("suite: nightly\ntests:\n  - { name: a, clip: x, tags: [smoke] }\n  - { name: b, clip: y }\n  - { clip: z }\n".utf8).write(to: file)
    let outline = SuiteOutline.read(file, files: localFiles)
    #expect(outline.name == "nightly" && outline.tests.map(\.name) == ["a", "b"] && outline.isReadable)
    #expect(outline.selected(only: [], tags: ["smoke"]) == ["a"])
    #expect(outline.selected(only: ["nope"], tags: []) == ["a", "b"], "a choice matching nothing reports them all")
    try Data("suite: [unclosed\n".utf8).write(to: file)
    let broken = SuiteOutline.read(file, files: localFiles)
    #expect(broken.name == "nightly" && broken.tests.map(\.name) == ["suite"] && !broken.isReadable)
  }
}

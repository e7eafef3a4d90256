// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

/// Files that are wrong on purpose or by accident: every size, count and width they hold is
/// bounded before it is used, and nothing of a file that is not what it should be is echoed.
@Suite struct HostileInputTests {
  @Test(
    "a frame pattern padded to more than 10 digits is refused in one short message",
    arguments: ["frames/%999999999d.pgm", "frames/%99999d.pgm", "frames/%011d.pgm"])
  func paddedPattern(pattern: String) throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 2)
    try replace("frames/%06d.pgm", with: pattern, in: folder.appendingPathComponent("clip.yaml"))
    let found = issues { () throws(ConfigError) in try ClipLoader.load(folder) }
    #expect(brief(found).count == 1, "\(brief(found))")
    #expect(found.first?.message.hasSuffix("pads frame numbers to more than 10 digits") == true)
    #expect(found.first.map { $0.description.utf8.count < 300 } == true)
  }

  @Test("a pattern padded to 10 digits is used")
  func tenDigits() throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 2)
    try replace("frames/%06d.pgm", with: "frames/%010d.pgm", in: folder.appendingPathComponent("clip.yaml"))
    for i in 0..<2 {
      try FileManager.default.moveItem(
        at: folder.appendingPathComponent("frames/\(FramePattern.expand("%06d", number: i)).pgm"),
        to: folder.appendingPathComponent("frames/\(FramePattern.expand("%010d", number: i)).pgm"))
    }
    #expect(try ClipLoader.load(folder).frameURL(1).lastPathComponent == "0000000001.pgm")
  }

  @Test("a pattern of 100,000 characters is refused and quoted only in part")
  func longPattern() throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 2)
    let long = "frames/" + String(repeating: "x", count: 100_000) + "%06d.pgm"
    try replace("frames/%06d.pgm", with: long, in: folder.appendingPathComponent("clip.yaml"))
    let found = issues { () throws(ConfigError) in try ClipLoader.load(folder) }
    #expect(found.count == 1)
    #expect(found.first?.message.hasSuffix("is longer than 1024 bytes") == true)
    #expect(found.first.map { $0.description.utf8.count < 300 } == true)
  }

  @Test("a labels file that is a device is refused as one, unread")
  func labelsDevice() throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 2, extraYAML: "labels: /dev/zero")
    let found = issues { () throws(ConfigError) in try ClipLoader.load(folder) }
    #expect(
      found.map(\.message) == ["labels file is not a regular file but a character device: /dev/zero"])
    #expect(found.first?.path == "labels", "reported at the key naming it")
  }

  @Test("a labels file that is some other file is described, never quoted")
  func labelsOtherFile() throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 2)
    try dir.write("c/labels.csv", "root:x:0:0:secret-first-line:/root:/bin/bash\nmore\n")
    let found = issues { () throws(ConfigError) in try ClipLoader.load(folder) }
    #expect(found.map(\.message) == ["this is not a labels file: its first line is not a header"])
    #expect(!found.contains { $0.description.contains("secret") })
  }

  @Test("a bad field in a labels file is quoted as a short excerpt, however long it is")
  func longLabelsField() throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 2)
    let field = String(repeating: "7x", count: 500_000)
    try dir.write("c/labels.csv", "frame,count\n0,\(field)\n1,0\n")
    let found = issues { () throws(ConfigError) in try ClipLoader.load(folder) }
    let message = try #require(found.first?.message)
    #expect(message.hasPrefix("count must be a whole number 0 or more, found '7x7x"))
    #expect(message.hasSuffix("…'"))
    #expect(message.count < 120)
  }

  @Test("every repeated key is reported where it repeats, naming the first")
  func everyRepeatedKey() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write(
      "s.yaml",
      """
      suite: demo
      tests:
        - { name: a, clip: c1, name: b }
        - name: x
          clip: c1
          clip: c2
          clip: c3
      suite: again

      """)
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    #expect(
      brief(found) == [
        "3:26: key 'name' appears again in this mapping (first at line 3, column 7)",
        "6:5: key 'clip' appears again in this mapping (first at line 5, column 5)",
        "7:5: key 'clip' appears again in this mapping (first at line 5, column 5)",
        "8:1: key 'suite' appears again in this mapping (first at line 1, column 1)",
      ])
  }

  @Test("repeated keys are found in quoted, empty, anchored and aliased mappings")
  func repeatedKeyForms() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write(
      "s.yaml",
      """
      a: &x { k: 1, k: 2 }
      b: *x
      c: { "": 1, "": 2, 'q': 1, "q": 2 }

      """)
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    #expect(
      brief(found) == [
        "1:15: key 'k' appears again in this mapping (first at line 1, column 9)",
        "3:13: an empty key appears again in this mapping (first at line 3, column 6)",
        "3:28: key 'q' appears again in this mapping (first at line 3, column 20)",
      ])
  }

  /// Found by fuzzing (`clip-yaml`): the load failed without saying why.
  @Test(
    "a clip.yaml of empty '?' keys between carriage returns is refused with an issue",
    arguments: [
      ("\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r?\r\r\r?\r\r", "16:2: an empty key appears again in this mapping"),
      ("?\n?\n", "1:2: an empty key appears again in this mapping"),
      ("? a\n? a\n", "2:3: key 'a' appears again in this mapping"),
      ("?\n", "1:1: clip: missing required key 'clip'"),
    ])
  func emptyComplexKeys(manifest: String, expected: String) throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 2)
    try dir.write("c/clip.yaml", manifest)
    let found = brief(issues { () throws(ConfigError) in try ClipLoader.load(folder) })
    #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
  }

  /// Found by fuzzing: an empty key and a collection key, each twice in one mapping. Yams names
  /// them in hash order, which changes from run to run, and rig reported a repeated key one time
  /// and a syntax error (from renaming the collection) the next.
  @Test("an empty key and a collection key both repeated get the same issue every time")
  func unplacedRepeats() throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 2)
    let manifest = "\r\r?\r\r?\r\r\r\r\r\r?\r\r-\r?\r\r\r\r\r\r?\r\r-\r?\r\r"
    try dir.write("c/clip.yaml", manifest)
    let outcomes = Set((0..<20).map { _ in brief(issues { () throws(ConfigError) in try ClipLoader.load(folder) }) })
    #expect(outcomes.count == 1, "\(outcomes)")
    #expect(outcomes.first?.first?.contains("keys appear twice in one mapping: an empty key, a collection") == true, "\(outcomes)")
  }

  private func replace(_ old: String, with new: String, in file: URL) throws {
    let text = try String(contentsOf: file, encoding: .utf8)
    try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: file)
  }
}

@Suite struct FrameReadingTests {
  @Test("a frame that is no longer a file when the run reads it fails with what it is, not a Foundation error")
  func frameBecameFolder() throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 3)
    let clip = try ClipLoader.load(folder)
    try dir.remove("c/frames/000001.pgm")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("frames/000001.pgm"), withIntermediateDirectories: false)
    let source = ClipFrameSource(clip: clip)
    #expect(try source.frame(0).bytes.count == 48)
    do {
      _ = try source.frame(1)
      Issue.record("expected an error")
    } catch let error as RigError {
      #expect(error.code == .configInvalid)
      #expect(
        error.description
          == "frame 1 of clip 'corridor-day' is a folder, not a file: "
          + "\(dir.display("c/frames/000001.pgm"))")
    }
  }
}

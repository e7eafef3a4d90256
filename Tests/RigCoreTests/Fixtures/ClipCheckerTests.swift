// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite struct ClipCheckerTests {
  /// A valid 10-frame clip on disk, and its model as a loader would return it.
  private func makeClip(_ folder: FixtureTempFolder) throws -> Clip {
    let synth = ClipSynthesizer(.init(scenario: .corridorLight, seed: 4, frames: 10))
    let directory = folder.url.appendingPathComponent("clip")
    let labels = try synth.write(to: directory)
    return Clip(directory: directory, manifest: synth.manifest(), labels: labels)
  }

  private func frame(_ clip: Clip, _ index: Int) -> URL { clip.frameURL(index) }

  @Test("a generated clip has no problems")
  func valid() throws {
    let folder = try FixtureTempFolder()
    #expect(ClipChecker.check(try makeClip(folder)) == [])
  }

  @Test("finds missing, undecodable, truncated and wrongly sized frames")
  func frames() throws {
    let folder = try FixtureTempFolder()
    let clip = try makeClip(folder)
    try FileManager.default.removeItem(at: frame(clip, 1))
    try Data("P2\n96 96\n255\n".utf8).write(to: frame(clip, 3))
    let whole = try Data(contentsOf: frame(clip, 5))
    try whole.prefix(500).write(to: frame(clip, 5))
    try Data(PGM.encode(PGM.Image(width: 64, height: 96, pixels: .init(repeating: 0, count: 6144))))
      .write(to: frame(clip, 7))
    let issues = ClipChecker.check(clip)
    #expect(issues.count == 4)
    #expect(issues.map(\.location.file).allSatisfy { $0.hasSuffix(".pgm") })
    #expect(issues[0].location.file.hasSuffix("frames/000001.pgm"))
    #expect(issues[0].message.contains("missing"))
    #expect(issues[1].message.contains("not a binary PGM"))
    #expect(issues[2].message.contains("raster truncated: 9216 bytes expected, 487 present"))
    #expect(issues[3].message == "frame is 64×96, clip.yaml says 96×96")
  }

  @Test("reports a run of frames with the same problem once, naming the range")
  func runs() throws {
    let folder = try FixtureTempFolder()
    let clip = try makeClip(folder)
    for index in 2...8 { try FileManager.default.removeItem(at: frame(clip, index)) }
    let issues = ClipChecker.check(clip)
    #expect(issues.count == 1)
    #expect(
      issues.first?.message.hasPrefix(
        "frames 2–8 (7 files, to frames/000008.pgm): frame file is missing") == true)
  }

  @Test("finds falling in/out counts and a label count that does not match the frames")
  func labels() throws {
    let folder = try FixtureTempFolder()
    var clip = try makeClip(folder)
    var rows = Array(clip.labels)
    rows[6].inCount = (rows[5].inCount ?? 0) + 5
    rows[7].outCount = (rows[6].outCount ?? 0) + 3
    rows[8].outCount = rows[6].outCount
    rows.removeLast()
    clip.labels = FrameLabels(rows)
    let issues = ClipChecker.check(clip)
    let byPlace = issues.map { "\($0.location.line) \($0.path)" }
    #expect(issues.first?.path == "frames.count")
    #expect(byPlace.contains("9 in"), "in falls back after frame 6: \(byPlace)")
    #expect(byPlace.contains("10 out"), "out falls back at frame 8: \(byPlace)")
  }

  @Test("finds an empty licence and a missing LICENSE file")
  func licence() throws {
    let folder = try FixtureTempFolder()
    var clip = try makeClip(folder)
    clip.manifest.licence = "  "
    try FileManager.default.removeItem(at: clip.directory.appendingPathComponent("LICENSE"))
    let issues = ClipChecker.check(clip)
    #expect(issues.map(\.path) == ["licence", ""])
    #expect(issues[1].message.contains("no LICENSE, LICENCE or COPYING"))
    try Data("public domain".utf8).write(to: clip.directory.appendingPathComponent("COPYING"))
    #expect(ClipChecker.check(clip).count == 1)
  }

  @Test("finds a counting line outside the frame", arguments: [0, 96, 200, -3])
  func countingLine(_ position: Int) throws {
    let folder = try FixtureTempFolder()
    var clip = try makeClip(folder)
    clip.manifest.countingLine = CountingLine(orientation: .vertical, position: position)
    let issues = ClipChecker.check(clip)
    #expect(issues.map(\.path) == ["counting_line.position"])
    #expect(issues.first?.hint?.contains("1…95") == true)
  }

  @Test("finds a bad frame pattern, size and rate in the manifest")
  func manifest() throws {
    let folder = try FixtureTempFolder()
    var clip = try makeClip(folder)
    clip.manifest.framePattern = "frames/frame.pgm"
    clip.manifest.fps = 0
    let issues = ClipChecker.check(clip)
    #expect(issues.map(\.path) == ["fps", "frames.pattern"])
  }

  @Test("checks raw RGB565 frames by length and JPEG frames by their markers")
  func otherFormats() throws {
    let folder = try FixtureTempFolder()
    var clip = try makeClip(folder)
    clip.manifest.format = .rgb565be
    clip.manifest.width = 2
    clip.manifest.height = 2
    clip.manifest.countingLine = nil
    clip.manifest.framePattern = "raw/%d.bin"
    let raw = clip.directory.appendingPathComponent("raw")
    try FileManager.default.createDirectory(at: raw, withIntermediateDirectories: true)
    for index in 0..<10 {
      try Data(repeating: 1, count: index == 4 ? 7 : 8).write(to: clip.frameURL(index))
    }
    let rgbIssues = ClipChecker.check(clip)
    #expect(rgbIssues.map(\.message) == ["holds 7 bytes, 2×2 RGB565 needs 8"])
    clip.manifest.format = .jpeg
    for index in 0..<10 {
      let body: [UInt8] = index == 9 ? [0xFF, 0xD8, 0, 0, 0] : [0xFF, 0xD8, 0, 0, 0xFF, 0xD9]
      try Data(body).write(to: clip.frameURL(index))
    }
    #expect(
      ClipChecker.check(clip).map(\.location.file.description) == [
        clip.frameURL(9).displayPath
      ])
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite struct ClipLoaderTests {
  @Test("loads the manifest, the labels and the frame list of a clip folder")
  func loadsClip() throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip(
      "clips/corridor-day", frames: 6, width: 12, height: 10,
      extraYAML: "notes: { scenario: corridor, seed: 7 }")
    let clip = try ClipLoader.load(folder)
    let m = clip.manifest
    #expect(m.name == "corridor-day")
    #expect(m.format == .gray8)
    #expect((m.width, m.height, m.fps) == (12, 10, 15))
    #expect(m.framePattern == "frames/%06d.pgm")
    #expect(m.frameCount == 6)
    #expect(
      m.countingLine
        == CountingLine(orientation: .horizontal, position: 5, inDirection: .increasing))
    #expect(m.licence == "CC0-1.0")
    #expect(m.provenance == "written by the configuration tests")
    #expect(m.notes == ["scenario": "corridor", "seed": "7"])
    #expect(clip.labels.count == 6)
    #expect(clip.labels[4] == FrameLabel(frame: 4, count: 1, inCount: 2, outCount: 1))
    #expect(clip.frameURL(3).lastPathComponent == "000003.pgm")
  }

  @Test("honours a custom frame pattern, first number and labels file")
  func customLayout() throws {
    let dir = try TemporaryDirectory()
    try dir.write(
      "c/clip.yaml",
      """
      clip: raw-clip
      format: rgb565be
      width: 4
      height: 2
      fps: 29.97
      frames: { pattern: "raw/f%d.bin", first: 10, count: 2 }
      labels: truth.csv
      licence: CC-BY-4.0
      """)
    try dir.write("c/truth.csv", "frame,count\n0,1\n1,0\n")
    try dir.write("c/raw/f10.bin", bytes: [UInt8](repeating: 0xF8, count: 16))
    try dir.write("c/raw/f11.bin", bytes: [UInt8](repeating: 0x07, count: 16))
    let clip = try ClipLoader.load(dir.url.appendingPathComponent("c"))
    #expect(clip.manifest.firstFrameNumber == 10)
    #expect(clip.manifest.countingLine == nil)
    #expect(clip.manifest.provenance == "")
    #expect(clip.frameURL(1).lastPathComponent == "f11.bin")
    #expect(Array(clip.labels) == [FrameLabel(frame: 0, count: 1), FrameLabel(frame: 1, count: 0)])
  }

  @Test("frames of the wrong size say what is wrong with them")
  func frameProblems() throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 12)
    try dir.writeFrame("c/frames/000001.pgm", width: 9, height: 6)
    let canonical = PGM.encode(.init(width: 8, height: 6, pixels: [UInt8](repeating: 9, count: 48)))
    try dir.write("c/frames/000002.pgm", bytes: Array(canonical.prefix(30)))
    try dir.write("c/frames/000003.pgm", bytes: Array("GIF89a".utf8))
    // A comment in the header makes the file longer than canonical but still a valid frame.
    try dir.write(
      "c/frames/000004.pgm",
      bytes: Array("P5\n# scanner 2\n8 6\n255\n".utf8) + [UInt8](repeating: 1, count: 48))
    for i in [5, 6, 7, 9] { try dir.remove("c/frames/00000\(i).pgm") }
    try dir.write("c/frames/000010.pgm", bytes: [])

    let found = issues { () throws(ConfigError) in try ClipLoader.load(folder) }
    #expect(
      found.map { "\($0.location.file): \($0.message)" } == [
        "\(dir.display("c/frames/000001.pgm")): frame 1: the image is 9×6 pixels, but clip.yaml says 8×6",
        "\(dir.display("c/frames/000002.pgm")): frame 2: truncated: 19 of 48 pixel bytes present",
        "\(dir.display("c/frames/000003.pgm")): frame 3: not a binary PGM (P5) file",
        "\(dir.display("c/frames/000005.pgm")): frames 5 to 7 not found (3 files)",
        "\(dir.display("c/frames/000009.pgm")): frame 9 not found",
        "\(dir.display("c/frames/000010.pgm")): frame 10: the file is empty",
      ])
  }

  @Test("rgb565be frames are raw and exactly two bytes per pixel")
  func rgb565Size() throws {
    let dir = try TemporaryDirectory()
    try dir.write(
      "c/clip.yaml",
      "clip: c\nformat: rgb565be\nwidth: 4\nheight: 2\nfps: 10\nframes: { pattern: \"%d.raw\", count: 1 }\nlicence: CC0-1.0\n"
    )
    try dir.write("c/labels.csv", "frame,count\n0,0\n")
    try dir.write("c/0.raw", bytes: [UInt8](repeating: 0, count: 15))
    let found = issues { () throws(ConfigError) in
      try ClipLoader.load(dir.url.appendingPathComponent("c"))
    }
    #expect(found.map(\.message) == ["frame 0: 15 bytes, but a 4×2 rgb565be frame is 16 bytes"])
  }

  @Test("a missing frames folder is one issue at frames.pattern")
  func missingFramesFolder() throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 50)
    try dir.remove("c/frames")
    let found = issues { () throws(ConfigError) in try ClipLoader.load(folder) }
    #expect(
      brief(found) == ["6:20: frames.pattern: frames folder not found: \(folder.path)/frames"])
    #expect(found.first?.location.file == dir.display("c/clip.yaml"))
  }

  @Test("many broken frames are summed up after the first ten")
  func frameIssueCap() throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 30)
    for i in stride(from: 0, to: 30, by: 2) {
      try dir.writeFrame(
        "c/frames/\(FramePattern.expand("%06d", number: i)).pgm", width: 4, height: 4)
    }
    let found = issues { () throws(ConfigError) in try ClipLoader.load(folder) }
    #expect(found.count == FrameFileCheck.maxIssues + 1)
    #expect(found.last?.message == "5 more frame problems in this clip not shown")
  }

  @Test("label rows must match frames.count")
  func labelCount() throws {
    let dir = try TemporaryDirectory()
    let folder = try dir.writeClip("c", frames: 3)
    try dir.write("c/labels.csv", "frame,count\n0,0\n1,0\n")
    let found = issues { () throws(ConfigError) in try ClipLoader.load(folder) }
    #expect(brief(found) == ["6:56: frames.count: labels.csv has 2 rows but frames.count is 3"])
  }

  @Test("each wrong key of clip.yaml is reported")
  func manifestProblems() throws {
    let dir = try TemporaryDirectory()
    try dir.write(
      "c/clip.yaml",
      """
      clip: my clip
      format: grey8
      width: 0
      height: 6
      fps: "15"
      frames: { pattern: "frames/all.pgm", count: 3 }
      counting_line: { orientation: diagonal, position: 99 }
      license: CC0-1.0
      notes: { a: [1] }
      """)
    let found = issues { () throws(ConfigError) in
      try ClipLoader.load(dir.url.appendingPathComponent("c"))
    }
    #expect(
      brief(found) == [
        "1:1: licence: missing required key 'licence'",
        "1:7: clip: 'my clip' is not a valid name",
        "2:9: format: 'grey8' is not a pixel format",
        "3:8: width: 0 is out of range",
        "5:6: fps: expected a number, found the text \"15\"",
        "6:20: frames.pattern: 'frames/all.pgm' must hold exactly one number field",
        "7:31: counting_line.orientation: 'diagonal' is not an orientation",
        "7:51: counting_line.position: 99 is out of range",
        "8:1: license: unknown key 'license'",
        "9:13: notes.a: notes hold text, found [1]",
      ])
    #expect(found[2].hint == "did you mean 'gray8'?")
    #expect(found[8].hint == "did you mean 'licence'?")
  }

  @Test("a missing folder or clip.yaml is reported where the clip was named")
  func missingAtReference() throws {
    let dir = try TemporaryDirectory()
    try FileManager.default.createDirectory(
      at: dir.url.appendingPathComponent("empty"), withIntermediateDirectories: true)
    let reference = SourceLocation(file: "suite.yaml", line: 7, column: 11)
    let noFolder = issues { () throws(ConfigError) in
      try ClipLoader.load(dir.url.appendingPathComponent("nope"), referencedAt: reference)
    }
    #expect(noFolder.map(\.location) == [reference])
    #expect(noFolder.first?.message == "clip folder not found: \(dir.url.path)/nope")
    let noManifest = issues { () throws(ConfigError) in
      try ClipLoader.load(dir.url.appendingPathComponent("empty"), referencedAt: reference)
    }
    #expect(noManifest.map(\.location) == [reference])
    #expect(noManifest.first?.message == "clip.yaml not found: \(dir.url.path)/empty/clip.yaml")
  }
}

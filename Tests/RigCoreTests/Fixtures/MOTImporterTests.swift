// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite struct MOTImporterTests {
  // Five frames of a 100×100 sequence, counting line at row 50 (down is in):
  // track 1 walks down across the line between frames 2 and 3 (centre y 40 → 55);
  // track 2 walks up across it between frames 3 and 5 (seen in 3, hidden in 4, seen in 5);
  // track 3 is a static person (class 7), track 4 is ignored (flag 0), both never counted;
  // track 5 is a barely visible pedestrian (visibility 0.1) standing at the top-left.
  let gt = """
    1,1,10,20,10,20,1,1,1.0
    2,1,10,30,10,20,1,1,0.9
    3,1,10,45,10,20,1,1,1
    4,1,10,60,10,20,1,1,1
    3,2,60,60,10,20,1,1,0.8
    5,2,60,30,10,20,1,1,0.8
    1,3,80,80,10,10,1,7,1
    2,4,50,50,10,10,0,1,1
    1,5,0,0,10,10,1,1,0.1
    2,5,0,0,10,10,1,1,0.1
    """

  @Test("counts class-1, flag-1 rows per frame and derives in/out from box centres")
  func knownAnswers() throws {
    let importer = MOTImporter(
      options: .init(countingLine: CountingLine(orientation: .horizontal, position: 50)))
    let labels = try importer.labels(fromGT: gt)
    #expect(labels.map(\.frame) == [0, 1, 2, 3, 4])
    #expect(labels.map(\.count) == [2, 2, 2, 1, 1])
    #expect(labels.map(\.inCount) == [0, 0, 1, 1, 1])
    #expect(labels.map(\.outCount) == [0, 0, 0, 0, 1])
  }

  @Test("a visibility threshold and a region of interest drop rows from the count only")
  func thresholdAndROI() throws {
    let line = CountingLine(orientation: .horizontal, position: 50)
    let visible = try MOTImporter(options: .init(visibilityThreshold: 0.5, countingLine: line))
      .labels(fromGT: gt)
    #expect(visible.map(\.count) == [1, 1, 2, 1, 1])
    let roi = MOTImporter.Region(x: 0, y: 0, width: 50, height: 100)
    let left = try MOTImporter(options: .init(regionOfInterest: roi, countingLine: line))
      .labels(fromGT: gt)
    #expect(left.map(\.count) == [2, 2, 1, 1, 0])
    #expect(left.last?.outCount == 1)
  }

  @Test("without a counting line, labels carry counts only")
  func countsOnly() throws {
    let labels = try MOTImporter().labels(fromGT: gt, frameCount: 7)
    #expect(labels.count == 7)
    #expect(labels.allSatisfy { $0.inCount == nil && $0.outCount == nil })
    #expect(labels[5].count == 0 && labels[6].count == 0)
  }

  @Test("records the threshold and region in the notes")
  func notes() {
    let importer = MOTImporter(
      options: .init(
        visibilityThreshold: 0.25,
        regionOfInterest: .init(x: 10, y: 20, width: 300.5, height: 200)))
    #expect(importer.notes["visibility_min"] == "0.25")
    #expect(importer.notes["roi"] == "10,20,300.5,200")
    #expect(importer.notes["reference_point"] == "box centre")
  }

  @Test("reports every bad row with its line and the column of the bad field")
  func errors() {
    let bad = """
      1,1,10,20,10,20,1,1,1
      2,1,ten,20,10,20,1,1,1
      3,1,10,20,10
      0,2,10,20,10,20,1,1,1

      4,2,10,20,10,-5,1,1,1
      5,2,10,20,10,20,1,1,1.5
      1,1,11,20,10,20,1,1,1
      6,3,10,20,10,20,1.5,1,1
      """
    do {
      _ = try MOTImporter().labels(fromGT: bad, file: "MOT17-02/gt/gt.txt", frameCount: 10)
      Issue.record("expected an error")
    } catch {
      let lines = error.issues.map(\.location.description)
      #expect(
        lines == [
          "MOT17-02/gt/gt.txt:2:5", "MOT17-02/gt/gt.txt:3:1", "MOT17-02/gt/gt.txt:4:1",
          "MOT17-02/gt/gt.txt:6:14", "MOT17-02/gt/gt.txt:7:21", "MOT17-02/gt/gt.txt:8:1",
          "MOT17-02/gt/gt.txt:9:17",
        ])
      #expect(error.issues[0].description.contains("left: expected a number, found 'ten'"))
      #expect(error.issues[1].message.contains("expected 9 comma-separated fields, found 5"))
      #expect(error.issues[2].hint == "MOT frames are numbered from 1")
      #expect(
        error.issues[5].message.contains("track 1 appears twice in frame 1 (first on line 1)"))
    }
  }

  @Test("rows beyond seqLength are errors")
  func beyondSequence() {
    #expect(throws: ConfigError.self) { try MOTImporter().labels(fromGT: gt, frameCount: 4) }
  }

  @Test("reads seqinfo.ini and reports missing or bad keys")
  func sequenceInfo() throws {
    let info = try MOTSequenceInfo.parse(
      """
      [Sequence]
      name=MOT17-02-SDP
      imDir=img1
      frameRate=30
      seqLength=600
      imWidth=1920
      imHeight=1080
      imExt=.jpg
      """)
    #expect(
      info
        == MOTSequenceInfo(
          name: "MOT17-02-SDP", frameCount: 600, width: 1920, height: 1080, fps: 30,
          imageDirectory: "img1", imageExtension: ".jpg"))
    do {
      _ = try MOTSequenceInfo.parse("[Sequence]\nframeRate = fast\nseqLength=600\nimWidth=640\n")
      Issue.record("expected an error")
    } catch {
      #expect(error.issues.map(\.location.description) == ["seqinfo.ini", "seqinfo.ini:2:13"])
      #expect(error.issues[0].message == "'imHeight' is missing")
    }
  }

  @Test("imports a sequence folder and makes a JPEG clip manifest from it")
  func importFolder() throws {
    let folder = try FixtureTempFolder()
    let gtFolder = folder.url.appendingPathComponent("gt")
    try FileManager.default.createDirectory(at: gtFolder, withIntermediateDirectories: true)
    try Data(gt.utf8).write(to: gtFolder.appendingPathComponent("gt.txt"))
    try Data(
      "[Sequence]\nname=tiny\nframeRate=25\nseqLength=6\nimWidth=100\nimHeight=100\nimExt=.jpg\n"
        .utf8
    ).write(to: folder.url.appendingPathComponent("seqinfo.ini"))
    let line = CountingLine(orientation: .horizontal, position: 50)
    let result = try MOTImporter(options: .init(countingLine: line))
      .importSequence(at: folder.url)
    #expect(result.labels.count == 6)
    #expect(result.notes["sequence"] == "tiny")
    let manifest = try result.manifest(name: "tiny", licence: "CC-BY-NC-SA-3.0", provenance: "MOT")
    #expect(manifest.format == .jpeg)
    #expect(manifest.framePath(0) == "img1/000001.jpg")
    #expect(manifest.frameCount == 6 && manifest.fps == 25 && manifest.countingLine == line)
  }
}

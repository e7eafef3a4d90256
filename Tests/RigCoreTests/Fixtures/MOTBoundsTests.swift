// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

/// Every number a MOT sequence's files hold is bounded by what a clip may be, before rig makes a
/// table of that size.
@Suite struct MOTBoundsTests {
  @Test("a frame number past the clip limit is refused, not turned into a 10^9-row table")
  func hugeFrameNumber() {
    let gt = "999999999,1,10,10,5,5,1,1,1\n"
    do {
      _ = try MOTImporter().labels(fromGT: gt)
      Issue.record("expected an error")
    } catch {
      #expect(error.issues.map(\.message) == [
        "expected a frame number from 1 to 10000000, found '999999999'"
      ])
    }
  }

  @Test("a flag or class too large for a whole number is an issue, not a crash")
  func hugeClass() {
    // Found by fuzzing: Int(8.9e19) trapped.
    do {
      _ = try MOTImporter().labels(fromGT: "1,1,100,150,40,100,1,88888888888888888881,1.0\n")
      Issue.record("expected an error")
    } catch {
      #expect(error.issues.map(\.message) == ["class '88888888888888888881' is out of range"])
    }
  }

  @Test("seqLength, imWidth, imHeight and frameRate stay within what a clip may be")
  func sequenceInfoBounds() {
    let text = """
      [Sequence]
      seqLength=2000000000
      imWidth=100000
      imHeight=0
      frameRate=100000

      """
    do {
      _ = try MOTSequenceInfo.parse(text)
      Issue.record("expected an error")
    } catch {
      #expect(
        error.issues.map(\.message) == [
          "expected a number from 1 to 10000000, found '2000000000'",
          "expected a number from 1 to 8192, found '100000'",
          "expected a number from 1 to 8192, found '0'",
          "expected a number from 0.01 to 1000, found '100000'",
        ])
    }
  }

  @Test("a ground-truth field is quoted as a short excerpt, however long")
  func longField() {
    let gt = "1,1,\(String(repeating: "9x", count: 100_000)),10,5,5,1,1,1\n"
    do {
      _ = try MOTImporter().labels(fromGT: gt)
      Issue.record("expected an error")
    } catch {
      #expect(error.issues.first.map { $0.description.count < 200 } == true)
    }
  }

  @Test("imDir and imExt that would make an unusable frame pattern are refused on import")
  func badImageFolder() throws {
    let info = MOTSequenceInfo(
      frameCount: 2, width: 8, height: 6, fps: 25, imageDirectory: "img%d", imageExtension: ".jpg")
    let imported = MOTImport(
      labels: [FrameLabel(frame: 0, count: 0), FrameLabel(frame: 1, count: 0)],
      sequenceInfo: info, countingLine: nil, notes: [:])
    #expect(throws: RigError.self) {
      try imported.manifest(name: "x", licence: "CC0-1.0", provenance: "test")
    }
  }
}

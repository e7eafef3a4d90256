// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

@Suite("rig fixtures synth and import-mot", .timeLimit(.minutes(TestTime.minutes(2))))
struct FixturesCommandTests {
  /// A three-frame MOT sequence of 8×6 PGM images, with its ground truth.
  private func sequence(_ rig: RigCommand) throws -> URL {
    try rig.write(
      "seq/seqinfo.ini",
      "[Sequence]\nname=tiny\nimDir=img1\nframeRate=25\nseqLength=3\nimWidth=8\nimHeight=6\nimExt=.pgm\n")
    try rig.write(
      "seq/gt/gt.txt", "1,1,1,1,2,2,1,1,1.0\n2,1,2,2,2,2,1,1,0.4\n3,1,3,3,2,2,1,1,0.9\n")
    let pgm = Data("P5\n8 6\n255\n".utf8 + [UInt8](repeating: 90, count: 48))
    let images = rig.scratch.appendingPathComponent("seq/img1")
    try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
    for frame in 1...3 { try pgm.write(to: images.appendingPathComponent("00000\(frame).pgm")) }
    return rig.scratch.appendingPathComponent("seq")
  }

  @Test("import-mot refuses a visibility outside 0…1")
  func visibilityRange() async throws {
    let rig = try RigCommand()
    let folder = try sequence(rig)
    let result = try await rig.run([
      "fixtures", "import-mot", folder.path, "--licence", "CC0-1.0", "--visibility", "2",
    ])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--visibility is a ratio from 0 to 1, got 2"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("clip.yaml").path))
  }

  @Test("import-mot writes a clip that rig fixtures check accepts, LICENSE included")
  func importThenCheck() async throws {
    let rig = try RigCommand()
    let folder = try sequence(rig)
    let made = try await rig.run([
      "fixtures", "import-mot", folder.path, "--licence", "CC-BY-NC-SA-3.0", "--visibility", "0.5",
    ])
    #expect(made.status == 0, "\(made.stderr)")
    #expect(made.stdout.contains("3 frames, up to 1 people"), "\(made.stdout)")
    let licence = try String(contentsOf: folder.appendingPathComponent("LICENSE"), encoding: .utf8)
    #expect(licence.contains("CC-BY-NC-SA-3.0"))
    let check = try await rig.run(["fixtures", "check", folder.path])
    #expect(check.status == 0, "\(check.stderr)")
  }

  @Test("import-mot does not overwrite a clip without --force")
  func noOverwrite() async throws {
    let rig = try RigCommand()
    let folder = try sequence(rig)
    try rig.write("seq/labels.csv", "mine\n")
    let refused = try await rig.run(["fixtures", "import-mot", folder.path, "--licence", "CC0-1.0"])
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("already holds labels.csv (use --force"), "\(refused.stderr)")
    #expect(try String(contentsOf: folder.appendingPathComponent("labels.csv"), encoding: .utf8) == "mine\n")
    let forced = try await rig.run([
      "fixtures", "import-mot", folder.path, "--licence", "CC0-1.0", "--force",
    ])
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(try String(contentsOf: folder.appendingPathComponent("labels.csv"), encoding: .utf8).hasPrefix("frame,count"))
  }

  @Test("synth into a folder that is not empty names --force")
  func synthNotEmpty() async throws {
    let rig = try RigCommand()
    try rig.write("out/something", "x")
    let result = try await rig.run(["fixtures", "synth", rig.scratch.appendingPathComponent("out").path])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--force"), "\(result.stderr)")
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

/// The clips in `Fixtures/clips/` are generated; these tests prove every byte of them is what
/// the generator makes today, and that they pass the deep check.
///
/// After a deliberate change to the generator, regenerate them with
/// `RIG_REGENERATE_CLIPS=1 swift test --filter ShippedClipsTests` and commit the result.
@Suite struct ShippedClipsTests {
  struct Shipped: Sendable, CustomTestStringConvertible {
    var scenario: ClipSynthesizer.Scenario
    var seed: UInt64
    var frames: Int
    var testDescription: String { scenario.rawValue }
    var synthesizer: ClipSynthesizer {
      ClipSynthesizer(.init(scenario: scenario, seed: seed, frames: frames))
    }
  }

  static let shipped = [
    Shipped(scenario: .emptyRoom, seed: 1, frames: 60),
    Shipped(scenario: .corridorLight, seed: 10, frames: 120),
    Shipped(scenario: .corridorBusy, seed: 3, frames: 200),
    Shipped(scenario: .lightingChange, seed: 7, frames: 150),
  ]

  static let clipsFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/clips")

  static var regenerate: Bool { ProcessInfo.processInfo.environment["RIG_REGENERATE_CLIPS"] == "1" }

  private func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

  @Test("each shipped clip is byte for byte what the generator makes", arguments: shipped)
  func identical(_ clip: Shipped) throws {
    let folder = Self.clipsFolder.appendingPathComponent(clip.scenario.rawValue)
    if Self.regenerate { try clip.synthesizer.write(to: folder, replacing: true) }
    let made = try clip.synthesizer.synthesize()
    let hint = "regenerate with RIG_REGENERATE_CLIPS=1 swift test --filter ShippedClipsTests"
    #expect(
      try text(folder.appendingPathComponent("clip.yaml"))
        == ClipManifestWriter.yaml(made.manifest), "\(hint)")
    #expect(
      try text(folder.appendingPathComponent("labels.csv")) == LabelsCSV.render(made.labels),
      "\(hint)")
    #expect(
      try text(folder.appendingPathComponent("LICENSE"))
        == ClipWriter.generatedLicence(
          clip: made.manifest.name, provenance: made.manifest.provenance))
    let files = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("frames").path)
    #expect(files.count == clip.frames, "stray or missing frame files")
    for (index, image) in made.frames.enumerated() {
      let url = folder.appendingPathComponent(made.manifest.framePath(index))
      let bytes = try [UInt8](Data(contentsOf: url))
      #expect(bytes == PGM.encode(image), "\(made.manifest.framePath(index)) differs; \(hint)")
    }
  }

  @Test("each shipped clip passes the deep check", arguments: shipped)
  func checked(_ clip: Shipped) throws {
    let folder = Self.clipsFolder.appendingPathComponent(clip.scenario.rawValue)
    let synth = clip.synthesizer
    let loaded = Clip(
      directory: folder, manifest: synth.manifest(), labels: try synth.synthesize().labels)
    #expect(ClipChecker.check(loaded) == [])
  }

  @Test("the shipped clips stay under 6 MB in total")
  func size() throws {
    var total = 0
    let enumerator = FileManager.default.enumerator(
      at: Self.clipsFolder, includingPropertiesForKeys: [.fileSizeKey])
    while let url = enumerator?.nextObject() as? URL {
      total += try url.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0
    }
    #expect(total > 0 && total < 6_000_000, "\(total) bytes")
  }
}

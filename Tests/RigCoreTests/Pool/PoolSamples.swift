// SPDX-License-Identifier: Apache-2.0
import Foundation

@testable import RigCore

/// Tests and rigs for the pool's pure parts: clips exist only as models (nothing is read).
enum PoolSamples {
  static func test(
    _ name: String, frames: Int, fps: Double = 15, format: PixelFormat = .gray8, requires: [String] = []
  ) -> TestCase {
    let manifest = ClipManifest(
      name: name, format: format, width: 96, height: 96, fps: fps, frameCount: frames, countingLine: nil,
      provenance: "test", licence: "CC0-1.0")
    let labels = (0..<frames).map { FrameLabel(frame: $0, count: 0) }
    let clip = Clip(directory: URL(fileURLWithPath: "/clips/\(name)"), manifest: manifest, labels: labels)
    return TestCase(
      name: name, clip: clip, location: SourceLocation(file: "suite.yaml", line: 1), requires: requires)
  }

  static func rig(_ name: String, tags: [String] = [], format: PixelFormat? = nil) -> RigConfiguration {
    var settings = SimulationSettings()
    settings.camera.format = format
    var rig = RigConfiguration(
      name: name, file: URL(fileURLWithPath: "/rigs/\(name).yaml"), board: "virtual-rt1062", simulation: settings)
    rig.tags = tags
    return rig
  }
}

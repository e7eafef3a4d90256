// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// Shared by the suite, rig and clip targets: a clip folder in memory for the fuzzed file to
/// name, and the invariants every configuration load must keep.
public enum ConfigFuzzing {
  /// A valid 4-frame 8×6 gray8 clip at `folder`: clip.yaml (unless `manifest` replaces it),
  /// labels.csv and canonical frames.
  public static func clip(at folder: String, manifest: [UInt8]? = nil) -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    files[folder + "/clip.yaml"] = manifest ?? Array(clipYAML.utf8)
    files[folder + "/labels.csv"] = Array("frame,count,in,out\n0,0,0,0\n1,1,0,0\n2,1,1,0\n3,0,1,0\n".utf8)
    for index in 0..<4 {
      files[folder + "/frames/00000\(index).pgm"] = PGM.encode(
        PGM.Image(width: 8, height: 6, pixels: [UInt8](repeating: UInt8(index * 40), count: 48)))
    }
    return files
  }

  public static let clipYAML = """
    clip: corridor
    format: gray8
    width: 8
    height: 6
    fps: 15
    frames: { pattern: "frames/%06d.pgm", first: 0, count: 4 }
    counting_line: { orientation: horizontal, position: 3, in: increasing }
    provenance: "fuzz seed"
    licence: CC0-1.0

    """

  /// Loads twice with `load` and checks: the same outcome both times, every issue bounded in
  /// length, and no issue on a successful load.
  public static func check<T>(_ load: () throws(ConfigError) -> T) {
    let first = outcome(load)
    let second = outcome(load)
    Fuzz.require(first == second, "two loads of one file differ: \(first) and \(second)")
    for line in first {
      Fuzz.require(line.utf8.count < 2_500, "an issue of \(line.utf8.count) bytes")
    }
  }

  /// The issues' lines, or nothing when the load succeeded.
  private static func outcome<T>(_ load: () throws(ConfigError) -> T) -> [String] {
    do {
      _ = try load()
      return []
    } catch {
      Fuzz.require(!error.issues.isEmpty, "a load failed without an issue")
      return error.issues.map(\.description)
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// Tiny clips for runner tests: `frames` frames of 4×2 RGB565 pixels, each frame's bytes its own
/// (so every CRC differs), written once per process to a scratch folder, with the people count of
/// each frame given by `count`.
public enum ScriptedClip {
  private static let written = Locked<[Int: URL]>([:])

  /// A clip of `frames` frames; frame `i` shows `count(i)` people.
  public static func make(frames: Int, count: (Int) -> Int = { $0 % 3 }) throws -> Clip {
    let manifest = ClipManifest(
      name: "scripted-\(frames)", format: .rgb565be, width: 4, height: 2, fps: 25,
      framePattern: "frames/%04d.raw", frameCount: frames, countingLine: nil, provenance: "rig tests",
      licence: "CC0-1.0")
    let directory = try folder(frames: frames, manifest: manifest)
    return Clip(
      directory: directory, manifest: manifest,
      labels: (0..<frames).map { FrameLabel(frame: $0, count: count($0)) })
  }

  private static func folder(frames: Int, manifest: ClipManifest) throws -> URL {
    if let done = written.withLock({ $0[frames] }) { return done }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rig-scripted-clip-\(ProcessInfo.processInfo.processIdentifier)-\(frames)")
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("frames"), withIntermediateDirectories: true)
    for index in 0..<frames {
      let bytes = (0..<16).map { UInt8(truncatingIfNeeded: index &* 31 &+ $0 &* 7) }
      try Data(bytes).write(to: directory.appendingPathComponent(manifest.framePath(index)))
    }
    written.withLock { $0[frames] = directory }
    return directory
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

/// A scratch folder for one test, removed when the test lets go of it.
final class TemporaryDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("rig-config-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Writes `text` to `path` (relative to the folder), creating folders on the way.
  @discardableResult
  func write(_ path: String, _ text: String) throws -> URL {
    try write(path, bytes: Array(text.utf8))
  }

  @discardableResult
  func write(_ path: String, bytes: [UInt8]) throws -> URL {
    let file = url.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: file)
    return file
  }

  func remove(_ path: String) throws {
    try FileManager.default.removeItem(at: url.appendingPathComponent(path))
  }

  /// The file name messages use for `path` inside this folder.
  func display(_ path: String) -> String { url.appendingPathComponent(path).displayPath }

  /// Writes a gray8 clip folder at `path`: clip.yaml, labels.csv and canonical PGM frames.
  @discardableResult
  func writeClip(
    _ path: String, name: String = "corridor-day", frames: Int = 4, width: Int = 8,
    height: Int = 6, withLines: Bool = true, extraYAML: String = ""
  ) throws -> URL {
    try write(
      "\(path)/clip.yaml",
      """
      clip: \(name)
      format: gray8
      width: \(width)
      height: \(height)
      fps: 15
      frames: { pattern: "frames/%06d.pgm", first: 0, count: \(frames) }
      counting_line: { orientation: horizontal, position: \(height / 2), in: increasing }
      provenance: "written by the configuration tests"
      licence: CC0-1.0
      \(extraYAML)
      """)
    let labels = (0..<frames).map {
      FrameLabel(
        frame: $0, count: $0 % 3, inCount: withLines ? $0 / 2 : nil,
        outCount: withLines ? $0 / 3 : nil)
    }
    try write("\(path)/labels.csv", LabelsCSV.render(labels))
    for i in 0..<frames {
      try writeFrame(
        "\(path)/frames/\(FramePattern.expand("%06d", number: i)).pgm",
        width: width, height: height, seed: i)
    }
    return url.appendingPathComponent(path)
  }

  /// Writes one canonical PGM frame.
  func writeFrame(_ path: String, width: Int, height: Int, seed: Int = 0) throws {
    let pixels = (0..<(width * height)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ seed) }
    try write(path, bytes: PGM.encode(PGM.Image(width: width, height: height, pixels: pixels)))
  }
}

/// The issues a load threw, or a test failure when it did not throw.
func issues<T>(_ body: () throws(ConfigError) -> T) -> [ConfigIssue] {
  do {
    _ = try body()
    Issue.record("expected configuration issues, but loading succeeded")
    return []
  } catch {
    return error.issues
  }
}

/// `line:column: path: message` of each issue, without the file: easy to compare in tests.
func brief(_ issues: [ConfigIssue]) -> [String] {
  issues.map { issue in
    var s = "\(issue.location.line):\(issue.location.column): "
    if !issue.path.isEmpty { s += "\(issue.path): " }
    return s + issue.message
  }
}

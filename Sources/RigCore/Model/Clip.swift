// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A recorded (or generated) camera clip: a folder with `clip.yaml`, `frames/` and `labels.csv`.
public struct Clip: Sendable {
  /// The clip folder.
  public var directory: URL
  public var manifest: ClipManifest
  /// One label per frame, in frame order; `labels[i].frame == i`.
  public var labels: FrameLabels

  public init(directory: URL, manifest: ClipManifest, labels: FrameLabels) {
    self.directory = directory
    self.manifest = manifest
    self.labels = labels
  }

  /// A clip from label rows in frame order.
  public init(directory: URL, manifest: ClipManifest, labels: [FrameLabel]) {
    self.init(directory: directory, manifest: manifest, labels: FrameLabels(labels))
  }

  public var frameCount: Int { labels.count }

  /// The file holding frame `index` (0-based).
  public func frameURL(_ index: Int) -> URL {
    directory.appendingPathComponent(manifest.framePath(index))
  }
}

/// What `clip.yaml` says about a clip.
public struct ClipManifest: Sendable, Codable, Equatable {
  public var name: String
  public var format: PixelFormat
  public var width: Int
  public var height: Int
  public var fps: Double
  /// Frame file path relative to the clip folder, with one printf-style integer field:
  /// `frames/%06d.pgm`. Frame numbers start at `firstFrameNumber`.
  public var framePattern: String
  public var firstFrameNumber: Int
  public var frameCount: Int
  public var countingLine: CountingLine?
  public var provenance: String
  public var licence: String
  /// Free-form generator parameters or source notes, kept for the record.
  public var notes: [String: String]

  public init(
    name: String, format: PixelFormat, width: Int, height: Int, fps: Double,
    framePattern: String = "frames/%06d.pgm", firstFrameNumber: Int = 0, frameCount: Int,
    countingLine: CountingLine?, provenance: String, licence: String, notes: [String: String] = [:]
  ) {
    self.name = name
    self.format = format
    self.width = width
    self.height = height
    self.fps = fps
    self.framePattern = framePattern
    self.firstFrameNumber = firstFrameNumber
    self.frameCount = frameCount
    self.countingLine = countingLine
    self.provenance = provenance
    self.licence = licence
    self.notes = notes
  }

  /// The relative path of frame `index` (0-based).
  public func framePath(_ index: Int) -> String {
    FramePattern.expand(framePattern, number: firstFrameNumber + index)
  }
}

/// The line people cross to be counted in or out.
///
/// `horizontal` lines sit at row `position`; a centroid moving to a larger row (downwards) is
/// going `in` unless `inDirection` says otherwise. `vertical` lines sit at column `position`; a
/// move to a larger column (rightwards) is `in` by default.
public struct CountingLine: Sendable, Codable, Equatable {
  public enum Orientation: String, Sendable, Codable { case horizontal, vertical }
  public enum Direction: String, Sendable, Codable {
    /// Towards larger coordinates: down for a horizontal line, right for a vertical one.
    case increasing
    /// Towards smaller coordinates.
    case decreasing
  }
  public var orientation: Orientation
  public var position: Int
  public var inDirection: Direction

  public init(orientation: Orientation, position: Int, inDirection: Direction = .increasing) {
    self.orientation = orientation
    self.position = position
    self.inDirection = inDirection
  }
}

/// Ground truth for one frame: people visible, and cumulative line crossings so far.
public struct FrameLabel: Sendable, Codable, Equatable {
  public var frame: Int
  public var count: Int
  public var inCount: Int?
  public var outCount: Int?

  public init(frame: Int, count: Int, inCount: Int? = nil, outCount: Int? = nil) {
    self.frame = frame
    self.count = count
    self.inCount = inCount
    self.outCount = outCount
  }
}

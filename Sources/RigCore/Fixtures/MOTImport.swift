// SPDX-License-Identifier: Apache-2.0

/// The result of importing a MOT sequence: labels, what `seqinfo.ini` said, and the notes that
/// record how the labels were derived.
public struct MOTImport: Sendable {
  public var labels: [FrameLabel]
  public var sequenceInfo: MOTSequenceInfo?
  public var countingLine: CountingLine?
  public var notes: [String: String]

  /// An import result; `MOTImporter.importSequence(at:)` makes these.
  public init(
    labels: [FrameLabel], sequenceInfo: MOTSequenceInfo?, countingLine: CountingLine?,
    notes: [String: String]
  ) {
    self.labels = labels
    self.sequenceInfo = sequenceInfo
    self.countingLine = countingLine
    self.notes = notes
  }

  /// A manifest for a clip folder that is the sequence folder itself: frames are the sequence's
  /// images (`img1/000001.jpg` …), so JPEG, numbered from 1.
  ///
  /// Needs `seqinfo.ini` (size and rate) and JPEG or PGM images; rig does not convert other
  /// image formats.
  public func manifest(name: String, licence: String, provenance: String) throws -> ClipManifest {
    guard let info = sequenceInfo else {
      throw RigError(
        .configInvalid,
        "MOT sequence \(name): no seqinfo.ini, so the frame size and rate are unknown"
          + " (add seqinfo.ini with imWidth, imHeight, frameRate and seqLength)")
    }
    let format: PixelFormat
    switch info.imageExtension.lowercased() {
    case ".jpg", ".jpeg": format = .jpeg
    case ".pgm": format = .gray8
    default:
      throw RigError(
        .configInvalid,
        "MOT sequence \(name): images are \(TerminalText.excerpt(info.imageExtension)), but clip "
          + "frames must be JPEG or PGM (convert the images, then set imExt in seqinfo.ini)")
    }
    let pattern = "\(info.imageDirectory)/%06d\(info.imageExtension)"
    guard !pattern.hasPrefix("/") else {
      throw RigError(
        .configInvalid,
        "MOT sequence \(name): imDir in seqinfo.ini must be a folder inside the sequence folder")
    }
    if case .failure(let problem) = FramePattern.parse(pattern) {
      throw RigError(
        .configInvalid,
        "MOT sequence \(name): imDir and imExt in seqinfo.ini make the frame pattern "
          + "'\(TerminalText.excerpt(pattern))', which \(problem)")
    }
    return ClipManifest(
      name: name, format: format, width: info.width, height: info.height, fps: info.fps,
      framePattern: pattern, firstFrameNumber: 1,
      frameCount: labels.count, countingLine: countingLine, provenance: provenance,
      licence: licence, notes: notes)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// A clip's frames as the emulator must serve them: read from disk one at a time
/// (`ClipFrameSource`, bounded memory) and converted to the format the DUT expects.
public struct EmulatorFrameSource: Sendable {
  public let clip: Clip
  /// The format served to the DUT.
  public let format: PixelFormat
  private let source: ClipFrameSource

  /// Frames of `clip`, read through `files`, served as `format` (nil: as stored).
  public init(clip: Clip, format: PixelFormat? = nil, files: any FileAccess) throws {
    self.clip = clip
    self.format = format ?? clip.manifest.format
    source = ClipFrameSource(clip: clip, files: files)
    guard FrameConverter.canConvert(clip.manifest.format, to: self.format) else {
      throw RigError(
        .configInvalid,
        "clip '\(clip.manifest.name)' stores \(clip.manifest.format.rawValue) frames, the rig's "
          + "camera serves \(self.format.rawValue): rig has no JPEG codec to convert them")
    }
  }

  public var count: Int { source.count }

  /// The FIFO bytes of frame `index`, in `format`.
  public func frame(_ index: Int) throws -> EmulatorFrame {
    let stored = try source.frame(index)
    let m = clip.manifest
    guard m.format != format else { return stored }
    do {
      let bytes = try FrameConverter.convert(
        stored.bytes, from: m.format, to: format, width: m.width, height: m.height)
      return EmulatorFrame(index: index, bytes: bytes)
    } catch let error as RigError {
      throw RigError(
        .configInvalid,
        "frame \(index) of clip '\(m.name)' (\(clip.frameURL(index).displayPath)): \(error.message)")
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads a clip's frames from disk one at a time, as the bytes the camera FIFO will hold.
/// Only the frame being read is in memory, so a clip of any length streams in bounded memory.
public struct ClipFrameSource: Sendable {
  public let clip: Clip
  /// How frame files are read (with a limit from the clip's frame size).
  public let files: any FileAccess

  public init(clip: Clip, files: any FileAccess) {
    self.clip = clip
    self.files = files
  }

  public var count: Int { clip.frameCount }

  /// The FIFO bytes of frame `index`.
  public func frame(_ index: Int) throws -> EmulatorFrame {
    let url = clip.frameURL(index)
    let data: [UInt8]
    do {
      data = try files.read(url.path, limit: FrameFileCheck.maxFrameBytes(clip.manifest))
    } catch {
      throw RigError(
        .configInvalid, "frame \(index) of clip '\(clip.manifest.name)' \(error): \(url.displayPath)")
    }
    switch clip.manifest.format {
    case .gray8:
      do {
        let image = try PGM.decode(data)
        guard image.width == clip.manifest.width, image.height == clip.manifest.height else {
          throw RigError(
            .configInvalid,
            "\(url.displayPath): frame is \(image.width)×\(image.height), clip.yaml says "
              + "\(clip.manifest.width)×\(clip.manifest.height)")
        }
        return EmulatorFrame(index: index, bytes: image.pixels)
      } catch let error as PGM.DecodeError {
        throw RigError(.configInvalid, "\(url.displayPath): \(error)")
      }
    case .rgb565be, .jpeg:
      // Stored as the FIFO bytes themselves.
      return EmulatorFrame(index: index, bytes: data)
    }
  }
}

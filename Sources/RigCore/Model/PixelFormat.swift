// SPDX-License-Identifier: Apache-2.0

/// How a frame's bytes encode its pixels, as the camera's FIFO delivers them.
public enum PixelFormat: String, Sendable, Codable, CaseIterable {
  /// One byte per pixel, row-major, top-left first (the PGM P5 raster).
  case gray8
  /// Two bytes per pixel, R[15:11] G[10:5] B[4:0], high byte first (ArduCAM BMP mode).
  case rgb565be
  /// A JPEG stream, `FF D8` … `FF D9`.
  case jpeg

  /// Bytes of one frame of this size, or nil for a variable-length format.
  public func frameBytes(width: Int, height: Int) -> Int? {
    switch self {
    case .gray8: width * height
    case .rgb565be: width * height * 2
    case .jpeg: nil
    }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Turns a clip's stored frame into the bytes the DUT's firmware expects in the camera FIFO.
///
/// gray8 → rgb565be spreads each grey level over the three channels (R5 = G6/2 = B5 = level's
/// top bits), high byte first, as the OV2640 delivers RGB565 in BMP mode; rgb565be → gray8 uses
/// the TFLM sketch's formula (`y = 0.2126 R + 0.7152 G + 0.0722 B` over R5<<3, G6<<2, B5<<3).
/// JPEG passes through unchanged; rig has no JPEG codec, so it converts neither to nor from it.
public enum FrameConverter {
  /// Whether frames stored as `source` can be served as `target`.
  public static func canConvert(_ source: PixelFormat, to target: PixelFormat) -> Bool {
    source == target || (source != .jpeg && target != .jpeg)
  }

  /// `bytes` (one frame of `source`, `width`×`height`) as `target`.
  public static func convert(
    _ bytes: [UInt8], from source: PixelFormat, to target: PixelFormat, width: Int, height: Int
  ) throws -> [UInt8] {
    if source == target { return bytes }
    guard canConvert(source, to: target) else {
      throw RigError(
        .configInvalid,
        "cannot serve \(source.rawValue) frames as \(target.rawValue): rig has no JPEG codec; "
          + "store the clip as \(target.rawValue) or use a rig whose camera format is \(source.rawValue)")
    }
    let pixels = width * height
    guard let expected = source.frameBytes(width: width, height: height), bytes.count == expected else {
      throw RigError(
        .configInvalid,
        "a \(width)×\(height) \(source.rawValue) frame has \(source.frameBytes(width: width, height: height) ?? 0) "
          + "bytes, this one \(bytes.count)")
    }
    switch (source, target) {
    case (.gray8, .rgb565be):
      var out = [UInt8](repeating: 0, count: pixels * 2)
      for i in 0..<pixels {
        let g = UInt16(bytes[i])
        let value = (g >> 3) << 11 | (g >> 2) << 5 | (g >> 3)
        out[2 * i] = UInt8(value >> 8)
        out[2 * i + 1] = UInt8(value & 0xFF)
      }
      return out
    case (.rgb565be, .gray8):
      var out = [UInt8](repeating: 0, count: pixels)
      for i in 0..<pixels {
        let value = UInt16(bytes[2 * i]) << 8 | UInt16(bytes[2 * i + 1])
        let r = Double((value >> 11) & 0x1F) * 8
        let g = Double((value >> 5) & 0x3F) * 4
        let b = Double(value & 0x1F) * 8
        out[i] = UInt8(min(255, (0.2126 * r + 0.7152 * g + 0.0722 * b).rounded()))
      }
      return out
    default:
      return bytes
    }
  }
}

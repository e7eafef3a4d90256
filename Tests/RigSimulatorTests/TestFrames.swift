// SPDX-License-Identifier: Apache-2.0

/// Synthetic gray8 frames: a dark, slightly textured background with bright squares (people
/// seen from above).
enum TestFrames {
  struct Square {
    var x: Int
    var y: Int
    var size: Int = 10
  }

  static func gray(width: Int = 96, height: Int = 96, squares: [Square], seed: Int = 0) -> [UInt8] {
    var pixels = (0..<(width * height)).map { i in
      // Background 20…27: texture that stays far below the person threshold.
      UInt8(20 + (i &* 2_654_435_761 &+ seed) % 8)
    }
    for square in squares {
      for y in square.y..<min(height, square.y + square.size) {
        for x in square.x..<min(width, square.x + square.size) {
          pixels[y * width + x] = 200
        }
      }
    }
    return pixels
  }

  /// The same picture as RGB565, high byte first (grey levels map to equal R, G and B).
  static func rgb565be(fromGray gray: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(gray.count * 2)
    for level in gray {
      let r = UInt16(level >> 3)
      let g = UInt16(level >> 2)
      let b = UInt16(level >> 3)
      let pixel = r << 11 | g << 5 | b
      bytes.append(UInt8(pixel >> 8))
      bytes.append(UInt8(pixel & 0xFF))
    }
    return bytes
  }
}

// SPDX-License-Identifier: Apache-2.0

/// The counting firmware's detector: people are bright blobs on a darker background.
///
/// Background = the frame's median grey level; a pixel is a person pixel when it is more than
/// `threshold` above it; 4-connected components of at least `minBlobPixels` pixels are people.
/// All buffers are sized once per frame geometry, so a frame costs no allocation.
struct PeopleCounter {
  /// A detected person: centroid in pixels (x right, y down) and size.
  struct Blob {
    var x: Double
    var y: Double
    var pixels: Int
  }

  /// What one frame gave.
  struct Result {
    /// People found, in labelling order (top-left first).
    var blobs: [Blob]
    /// Person pixels (above the threshold), including components too small to count.
    var activePixels: Int
    /// Every component labelled, noise included: the labelling work the firmware did.
    var components: Int
  }

  let threshold: Int
  let minBlobPixels: Int
  private var labels: [Int32] = []
  private var stack: [Int32] = []
  private var blobs: [Blob] = []
  private var histogram = [Int](repeating: 0, count: 256)

  init(threshold: Int, minBlobPixels: Int) {
    self.threshold = threshold
    self.minBlobPixels = minBlobPixels
  }

  /// Counts the people in a gray8 frame of `width` × `height` pixels.
  mutating func detect(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> Result {
    let n = width * height
    precondition(pixels.count >= n, "frame buffer smaller than its geometry")
    if labels.count != n {
      labels = [Int32](repeating: 0, count: n)
      stack = [Int32](repeating: 0, count: n)
    }
    blobs.removeAll(keepingCapacity: true)
    guard n > 0 else { return Result(blobs: [], activePixels: 0, components: 0) }

    let cut = median(pixels, count: n) + threshold
    var active = 0
    var components = 0
    let minimum = minBlobPixels
    labels.withUnsafeMutableBufferPointer { label in
      stack.withUnsafeMutableBufferPointer { work in
        // 0 = background, -1 = person pixel not yet labelled, > 0 = component number.
        for i in 0..<n {
          let person = Int(pixels[i]) > cut
          label[i] = person ? -1 : 0
          if person { active += 1 }
        }
        for start in 0..<n where label[start] == -1 {
          components += 1
          let id = Int32(truncatingIfNeeded: components)
          var top = 0
          var size = 0
          var sumX = 0
          var sumY = 0
          label[start] = id
          work[top] = Int32(start)
          top += 1
          while top > 0 {
            top -= 1
            let p = Int(work[top])
            let x = p % width
            let y = p / width
            size += 1
            sumX += x
            sumY += y
            if x > 0, label[p - 1] == -1 {
              label[p - 1] = id
              work[top] = Int32(p - 1)
              top += 1
            }
            if x + 1 < width, label[p + 1] == -1 {
              label[p + 1] = id
              work[top] = Int32(p + 1)
              top += 1
            }
            if y > 0, label[p - width] == -1 {
              label[p - width] = id
              work[top] = Int32(p - width)
              top += 1
            }
            if y + 1 < height, label[p + width] == -1 {
              label[p + width] = id
              work[top] = Int32(p + width)
              top += 1
            }
          }
          if size >= minimum {
            blobs.append(
              Blob(x: Double(sumX) / Double(size), y: Double(sumY) / Double(size), pixels: size))
          }
        }
      }
    }
    return Result(blobs: blobs, activePixels: active, components: components)
  }

  /// The median grey level, from a histogram (the lower median for an even count).
  private mutating func median(_ pixels: UnsafeBufferPointer<UInt8>, count n: Int) -> Int {
    histogram.withUnsafeMutableBufferPointer { h in
      for level in 0..<256 { h[level] = 0 }
      for i in 0..<n { h[Int(pixels[i])] += 1 }
      let half = (n + 1) / 2
      var seen = 0
      for level in 0..<256 {
        seen += h[level]
        if seen >= half { return level }
      }
      return 255
    }
  }
}

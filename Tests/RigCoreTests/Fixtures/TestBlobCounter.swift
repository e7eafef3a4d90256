// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The simplest counting firmware the generated pixels are designed for: per-frame median as the
/// background, pixels more than `threshold` above it are foreground, 4-connected components of at
/// least `minArea` pixels are people.
struct TestBlobCounter {
  var threshold = 40
  var minArea = 30

  /// The components of `image` that count as people: their areas and centroids.
  func blobs(in image: PGM.Image) -> [(area: Int, x: Double, y: Double)] {
    var histogram = [Int](repeating: 0, count: 256)
    for p in image.pixels { histogram[Int(p)] += 1 }
    var seen = 0
    var median = 0
    for (level, n) in histogram.enumerated() {
      seen += n
      if seen * 2 >= image.pixels.count {
        median = level
        break
      }
    }
    let cut = median + threshold
    let w = image.width
    var visited = [Bool](repeating: false, count: image.pixels.count)
    var result: [(area: Int, x: Double, y: Double)] = []
    var stack: [Int] = []
    for start in image.pixels.indices where !visited[start] && Int(image.pixels[start]) > cut {
      visited[start] = true
      stack.append(start)
      var area = 0
      var sx = 0
      var sy = 0
      while let i = stack.popLast() {
        area += 1
        sx += i % w
        sy += i / w
        let x = i % w
        var next: [Int] = []
        if x > 0 { next.append(i - 1) }
        if x < w - 1 { next.append(i + 1) }
        if i >= w { next.append(i - w) }
        if i + w < image.pixels.count { next.append(i + w) }
        for n in next where !visited[n] && Int(image.pixels[n]) > cut {
          visited[n] = true
          stack.append(n)
        }
      }
      if area >= minArea {
        result.append((area, Double(sx) / Double(area) + 0.5, Double(sy) / Double(area) + 0.5))
      }
    }
    return result
  }

  /// The number of people in `image`.
  func count(_ image: PGM.Image) -> Int { blobs(in: image).count }
}

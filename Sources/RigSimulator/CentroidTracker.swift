// SPDX-License-Identifier: Apache-2.0

/// Follows people from frame to frame and counts them crossing the firmware's counting line.
///
/// Each frame, detections are matched to last frame's tracks greedily, nearest pair first, up to
/// `radius` pixels apart. A matched track whose centroid moves from above the line to on or below
/// it is one "in"; the reverse is one "out". Unmatched tracks end; unmatched detections start new
/// tracks.
struct CentroidTracker {
  private struct Track {
    var x: Double
    var y: Double
  }

  private struct Pair {
    var distance: Double
    var track: Int
    var detection: Int
  }

  let radius: Double
  /// The counting line's y coordinate, pixels from the top.
  let lineY: Double
  private(set) var inCount = 0
  private(set) var outCount = 0
  private var tracks: [Track] = []
  private var next: [Track] = []
  private var pairs: [Pair] = []
  private var trackTaken: [Bool] = []
  private var detectionTaken: [Bool] = []

  init(radius: Double, lineY: Double) {
    self.radius = radius
    self.lineY = lineY
  }

  /// Feeds one frame's detections (centroids).
  mutating func update(_ blobs: [PeopleCounter.Blob]) {
    pairs.removeAll(keepingCapacity: true)
    let limit = radius * radius
    for (t, track) in tracks.enumerated() {
      for (d, blob) in blobs.enumerated() {
        let dx = blob.x - track.x
        let dy = blob.y - track.y
        let squared = dx * dx + dy * dy
        if squared <= limit { pairs.append(Pair(distance: squared, track: t, detection: d)) }
      }
    }
    // Ties break by track, then detection, so the result never depends on sort stability.
    pairs.sort {
      ($0.distance, $0.track, $0.detection) < ($1.distance, $1.track, $1.detection)
    }
    trackTaken.removeAll(keepingCapacity: true)
    trackTaken.append(contentsOf: repeatElement(false, count: tracks.count))
    detectionTaken.removeAll(keepingCapacity: true)
    detectionTaken.append(contentsOf: repeatElement(false, count: blobs.count))
    next.removeAll(keepingCapacity: true)
    for pair in pairs where !trackTaken[pair.track] && !detectionTaken[pair.detection] {
      trackTaken[pair.track] = true
      detectionTaken[pair.detection] = true
      let before = tracks[pair.track].y
      let after = blobs[pair.detection].y
      if before < lineY && after >= lineY { inCount += 1 }
      if before >= lineY && after < lineY { outCount += 1 }
      next.append(Track(x: blobs[pair.detection].x, y: after))
    }
    for (d, blob) in blobs.enumerated() where !detectionTaken[d] {
      next.append(Track(x: blob.x, y: blob.y))
    }
    swap(&tracks, &next)
  }
}

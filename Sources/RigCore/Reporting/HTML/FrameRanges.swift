// SPDX-License-Identifier: Apache-2.0

/// Frames with something to say about them, merged into runs of consecutive frames: the wrong
/// counts, and each kind of finding.
struct FrameRanges: Sendable, Equatable {
  var ranges: [Range<Int>] = []
  /// Frames in all ranges.
  var frames = 0

  mutating func add(_ frame: Int) {
    frames += 1
    if let last = ranges.last, last.upperBound == frame {
      ranges[ranges.count - 1] = last.lowerBound..<(frame + 1)
    } else if let last = ranges.last, last.contains(frame) {
      frames -= 1
    } else {
      ranges.append(frame..<(frame + 1))
    }
  }

  var first: Int? { ranges.first?.lowerBound }

  /// `30–45, 51, 60–62` with at most `limit` ranges, then how many more; never silent about the rest.
  func text(limit: Int = 40) -> String {
    var parts = ranges.prefix(limit).map { r in
      r.count == 1 ? "\(r.lowerBound)" : "\(r.lowerBound)\u{2013}\(r.upperBound - 1)"
    }
    if ranges.count > limit {
      let shown = ranges.prefix(limit).reduce(0) { $0 + $1.count }
      parts.append(
        "and \(ranges.count - limit) more ranges (\(frames - shown) frames; every frame is in frames.csv)")
    }
    return parts.joined(separator: ", ")
  }

  /// The wrong counts and the findings of one table, by kind in order of first appearance.
  static func collect(_ table: FrameTable) -> (wrong: FrameRanges, findings: [(kind: String, ranges: FrameRanges)]) {
    var wrong = FrameRanges()
    var kinds: [String] = []
    var byKind: [String: FrameRanges] = [:]
    for row in 0..<table.rowCount {
      let frame = Int(table.frame[row])
      if table.isWrong(row) { wrong.add(frame) }
      if let kind = table.anomaly(row) {
        if byKind[kind] == nil { kinds.append(kind) }
        byKind[kind, default: FrameRanges()].add(frame)
      }
    }
    return (wrong, kinds.map { ($0, byKind[$0]!) })
  }

  /// The shape that marks a kind of finding on a chart's axis.
  static func shape(for kind: String) -> MarkerShape {
    switch kind {
    case "dropped", "missing": .circle
    case "damaged": .cross
    case "truncated": .triangle
    case "bad_length": .square
    case "capture_stuck": .diamond
    default: .plus
    }
  }
}

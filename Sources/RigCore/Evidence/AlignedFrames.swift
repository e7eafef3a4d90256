// SPDX-License-Identifier: Apache-2.0

/// The frames of a test now, each paired with the same frame (by clip index) in every baseline
/// run: the pairing that per-frame comparison rests on.
///
/// Columns are aligned once, so the judges walk plain arrays: `aligned(\.counts)[run][i]` is the
/// baseline run's count for the frame at position `i` of `current`, or `FrameSeries.absent`.
struct AlignedFrames {
  let current: FrameSeries
  let baselines: [FrameSeries]
  /// For each baseline run, for each position in `current`: the position of the same frame in
  /// that run, or -1 when the run has no entry for it.
  private let positions: [[Int32]]

  init(current: FrameSeries, baselines: [FrameSeries]) {
    self.current = current
    self.baselines = baselines
    let maxIndex = Int(current.frameIndices.max() ?? -1)
    positions = baselines.map { run in
      var lookup = [Int32](repeating: -1, count: maxIndex + 1)
      for (position, index) in run.frameIndices.enumerated() where index >= 0 && Int(index) <= maxIndex {
        lookup[Int(index)] = Int32(position)
      }
      return current.frameIndices.map { index in index >= 0 ? lookup[Int(index)] : -1 }
    }
  }

  var runs: Int { baselines.count }

  /// A column of every baseline run, aligned with `current`: one array per run, absent values
  /// (and frames the run lacks) as `FrameSeries.absent`.
  func aligned(_ column: KeyPath<FrameSeries, [Int32]>) -> [[Int32]] {
    baselines.indices.map { run in
      let values = baselines[run][keyPath: column]
      return positions[run].map { p in p < 0 ? FrameSeries.absent : values[Int(p)] }
    }
  }
}

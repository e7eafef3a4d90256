// SPDX-License-Identifier: Apache-2.0

/// The frames of a test now, each paired with the same frame (by clip index) in every baseline
/// run: the pairing that per-frame comparison rests on.
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

  /// Position of `current`'s entry `i` in baseline run `run`, if that run has the frame.
  func position(_ i: Int, inRun run: Int) -> Int? {
    let p = positions[run][i]
    return p < 0 ? nil : Int(p)
  }

  /// The baseline runs' values of a column for current entry `i`, absent values left out.
  func baselineValues(_ i: Int, _ column: KeyPath<FrameSeries, [Int32]>) -> [Int32] {
    var values: [Int32] = []
    for run in baselines.indices {
      guard let p = position(i, inRun: run) else { continue }
      let v = baselines[run][keyPath: column][p]
      if v != FrameSeries.absent { values.append(v) }
    }
    return values
  }
}

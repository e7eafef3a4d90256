// SPDX-License-Identifier: Apache-2.0
import Yams

/// `simulated.regression`: a regression built into the simulated firmware (docs/simulated-bench.md
/// §4.1).
extension RigLoader {
  static let regressionKeys = [
    "latency_scale", "drop_rate", "miscount_rate", "miscount_by", "miscount_frames", "ram_bytes",
    "leak_bytes_per_frame",
  ]

  static func readRegression(_ simulated: ConfigTable, _ r: ConfigReader) -> FirmwareRegression? {
    guard let t = r.table(simulated, "regression", keys: regressionKeys) else { return nil }
    var g = FirmwareRegression()
    g.latencyScale = r.double(t, "latency_scale", in: 0.01...100) ?? g.latencyScale
    g.dropRate = r.double(t, "drop_rate", in: 0...1) ?? g.dropRate
    g.miscountRate = r.double(t, "miscount_rate", in: 0...1) ?? g.miscountRate
    g.miscountBy = r.int(t, "miscount_by", in: -100...100) ?? g.miscountBy
    g.ramBytes = r.int(t, "ram_bytes", in: 0...(64 << 20)) ?? g.ramBytes
    g.leakBytesPerFrame = r.int(t, "leak_bytes_per_frame", in: 0...(1 << 20)) ?? g.leakBytesPerFrame
    if let node = t["miscount_frames"], !ConfigReader.isNull(node),
      let items = r.list(node, at: t.path("miscount_frames"), of: "frame indices such as [12, 40]")
    {
      g.miscountFrames = items.enumerated().compactMap { index, item in
        r.int(item, at: "\(t.path("miscount_frames"))[\(index)]", in: 0...10_000_000)
      }
    }
    if g.miscountBy == 0, let node = t["miscount_by"] {
      r.report(
        node, t.path("miscount_by"), "a miscount of 0 changes nothing",
        hint: "use -1 for a person missed, 1 for one counted twice")
    }
    return g
  }
}

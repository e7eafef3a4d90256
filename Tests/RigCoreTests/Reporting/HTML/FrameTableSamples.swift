// SPDX-License-Identifier: Apache-2.0
@testable import RigCore

/// Frame tables for the HTML report's tests, built directly (no CSV), of any length.
enum FrameTableSamples {
  /// `frames` frames with label 2; every `dropEvery`-th frame dropped, the DUT counting 3 from
  /// `wrongFrom` on, latency 30 ms plus a sawtooth and one 90 ms spike at `spikeAt`.
  static func synthetic(frames: Int, dropEvery: Int = 0, wrongFrom: Int = .max, spikeAt: Int? = nil) -> FrameTable {
    var t = FrameTable()
    t.findingNames = ["matched", "dropped"]
    t.statusNames = ["ok", ""]
    for i in 0..<frames {
      let dropped = dropEvery > 0 && i % dropEvery == dropEvery - 1
      t.frame.append(Int32(i))
      t.label.append(2)
      t.labelIn.append(Int32(i / 50))
      t.labelOut.append(Int32(i / 70))
      t.finding.append(dropped ? 1 : 0)
      t.status.append(dropped ? 1 : 0)
      if dropped {
        for column in [\FrameTable.count, \.inCount, \.outCount, \.stack, \.heap] { t[keyPath: column].append(FrameTable.none) }
        t.latency.append(.nan)
      } else {
        t.count.append(i >= wrongFrom ? 3 : 2)
        t.inCount.append(Int32(i / 50))
        t.outCount.append(Int32(i / 70))
        t.stack.append(6144 + Int32(i % 13) * 8)
        t.heap.append(0)
        t.latency.append(i == spikeAt ? 90 : 30 + Float(i % 17) * 0.25)
      }
    }
    return t
  }

  /// A test result that goes with a synthetic table.
  static func result(name: String, frames: Int, verdict: Verdict = .passed) -> TestResult {
    var result = TestResult(
      name: name, classname: "demo", verdict: verdict, duration: 1,
      metrics: [
        MetricValue(.countExactMatch, 0.9), MetricValue(.latencyP50, 32), MetricValue(.latencyP95, 33.9),
        MetricValue(.latencyP99, 34), MetricValue(.ramPeak, 185.6), MetricValue(.framesScored, Double(frames)),
      ],
      attachments: ["artifacts/\(name)/frames.csv", "artifacts/\(name)/console.log"])
    result.limits = [Limit(.countExactMatch, .atLeast, 0.8), Limit(.latencyP95, .atMost, 45), Limit(.ramPeak, .atMost, 512)]
    return result
  }
}

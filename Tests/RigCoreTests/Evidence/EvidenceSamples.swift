// SPDX-License-Identifier: Apache-2.0
@testable import RigCore

/// Synthetic evidence of one test: `n` frames, labels 0…3, latency around 35 ms with 0.4 ms of
/// noise (seeded), stack + heap growing with the label.
enum EvidenceSamples {
  static let identity = EvidenceIdentity(firmwareHash: "a3f16773346a", clipHash: "c1ip")

  static func labels(_ n: Int) -> [Int] { (0..<n).map { ($0 / 7) % 4 } }

  static func run(
    _ name: String, frames n: Int = 200, seed: UInt64 = 1, latencyScale: Double = 1,
    counts: (Int, Int) -> Int? = { _, label in label }, ramExtra: Int = 0,
    finding: (Int) -> FrameOutcome.Finding = { _ in .matched }, identity: EvidenceIdentity = identity
  ) -> TestEvidence {
    var random = SynthRandom(seed: seed)
    var series = FrameSeries()
    let labels = labels(n)
    var peak = 0
    for i in 0..<n {
      let found = finding(i)
      let reported = found == .matched
      let latency = (34 + 0.5 * Double(labels[i]) + 0.4 * random.normal()) * latencyScale
      let stackHeap = 6144 + 192 * labels[i] + ramExtra
      if reported { peak = max(peak, stackHeap) }
      series.append(.init(
        index: i, label: labels[i], count: reported ? counts(i, labels[i]) : nil,
        latencyMicroseconds: reported ? Int((latency * 1000).rounded()) : nil,
        stackHeapBytes: reported ? stackHeap : nil, finding: found))
    }
    let exact = Double(series.filter { $0.count == $0.label }.count) / Double(max(1, series.filter { $0.count != nil }.count))
    return TestEvidence(
      run: name, test: "corridor-light", identity: identity, verdict: .passed,
      metrics: [
        MetricValue(.countExactMatch, exact), MetricValue(.ramPeak, Double(96 * 1024 + 85_264 + peak) / 1024),
      ],
      frames: series)
  }
}

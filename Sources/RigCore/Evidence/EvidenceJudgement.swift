// SPDX-License-Identifier: Apache-2.0

/// The outcome of comparing one aspect of a test with its baseline.
public struct EvidenceJudgement: Sendable, Equatable, Codable {
  public enum Verdict: String, Sendable, Codable, Comparable, CaseIterable {
    /// No change worth reporting: none measured, or one smaller than the floor that counts.
    case unchanged
    /// Better than the baseline, beyond the floor and beyond chance.
    case improvement
    /// A change as large as the floor was measured, but too few frames (or too noisy a
    /// baseline) to tell it from chance; or nothing could be compared.
    case inconclusive
    /// Worse than the baseline, beyond the floor and beyond chance.
    case regression

    private var rank: Int {
      switch self {
      case .unchanged: 0
      case .improvement: 1
      case .inconclusive: 2
      case .regression: 3
      }
    }

    public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
  }

  /// What was compared.
  public enum Aspect: String, Sendable, Codable, CaseIterable {
    /// The count of each frame against the same frame's count in the baseline.
    case counts = "count.frames"
    /// Paired per-frame latency (Wilcoxon signed-rank on the differences).
    case latency = "latency.frames"
    /// The 95th-percentile latency (paired bootstrap of the difference).
    case latencyP95 = "latency.p95_ms"
    /// Peak RAM (deterministic: any increase past the tolerance).
    case ramPeak = "ram.peak_kib"
    /// Frames lost: no result (missing or dropped by the DUT), as a rate.
    case dropped = "frames.dropped"
    /// Frames the DUT read damaged, truncated, with a bad length or never captured, as a rate.
    case damaged = "frames.damaged"
  }

  public var aspect: Aspect
  public var verdict: Verdict
  /// The baseline's figure, in the aspect's unit (exact-match ratio on the compared frames,
  /// median ms, p95 ms, KiB, rate).
  public var baseline: Double?
  /// The same figure now.
  public var current: Double?
  /// The test's p-value, when one was computed.
  public var pValue: Double?
  /// In plain words: what changed, where, by how much, against which run.
  public var reason: String

  public init(
    aspect: Aspect, verdict: Verdict, baseline: Double? = nil, current: Double? = nil,
    pValue: Double? = nil, reason: String
  ) {
    self.aspect = aspect
    self.verdict = verdict
    self.baseline = baseline
    self.current = current
    self.pValue = pValue
    self.reason = reason
  }
}

/// A frame whose count differs from the baseline's count for the same frame.
public struct CountChange: Sendable, Equatable, Codable {
  public enum Direction: String, Sendable, Codable {
    /// Closer to the label than the baseline was.
    case better
    /// Further from the label.
    case worse
    /// As far from the label, on the other side.
    case sideways
  }
  public var frame: Int
  public var label: Int
  public var baseline: Int
  public var current: Int

  public init(frame: Int, label: Int, baseline: Int, current: Int) {
    self.frame = frame
    self.label = label
    self.baseline = baseline
    self.current = current
  }

  public var direction: Direction {
    let before = abs(baseline - label)
    let now = abs(current - label)
    return now < before ? .better : now > before ? .worse : .sideways
  }

  /// `31 (label 2: 2 → 1)`
  public var description: String { "\(frame) (label \(label): \(baseline) → \(current))" }
}

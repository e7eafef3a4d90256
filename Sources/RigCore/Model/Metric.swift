// SPDX-License-Identifier: Apache-2.0

/// A figure measured for a test, which limits can bound. The raw value is the name users write
/// in a suite (`count.mae: "<= 0.15"`) and the name in every report.
public enum Metric: String, Sendable, Codable, CaseIterable, Comparable {
  /// Fraction of scored frames whose count equals the label.
  case countExactMatch = "count.exact_match"
  /// Fraction of scored frames whose count is within ±1 of the label.
  case countWithinOne = "count.within_one"
  /// Mean absolute count error.
  case countMAE = "count.mae"
  /// Root mean squared count error (crowd-counting papers often call this "MSE").
  case countRMSE = "count.rmse"
  /// Largest absolute count error of any frame.
  case countMaxAbsError = "count.max_abs_error"
  /// Mean signed count error: positive means over-counting.
  case countBias = "count.bias"
  /// |DUT's cumulative "in" − label| at the last scored frame.
  case lineInError = "line.in_error"
  /// |DUT's cumulative "out" − label| at the last scored frame.
  case lineOutError = "line.out_error"
  /// Per-frame device latency (sum of all stages, DWT cycles ÷ CPU clock) percentiles.
  case latencyP50 = "latency.p50_ms"
  case latencyP95 = "latency.p95_ms"
  case latencyP99 = "latency.p99_ms"
  case latencyMax = "latency.max_ms"
  case latencyMean = "latency.mean_ms"
  /// Peak RAM: static + arena used + stack high-water mark + heap high-water mark.
  case ramPeak = "ram.peak_kib"
  /// Frames sent whose result never arrived.
  case framesMissing = "frames.missing"
  /// Results for a frame the DUT had already reported.
  case framesDuplicated = "frames.duplicated"
  /// Results whose frame CRC matches no frame sent: the DUT read damaged or foreign bytes.
  case framesUnknown = "frames.unknown"
  /// Frames scored (matched to a label).
  case framesScored = "frames.scored"
  /// Frames whose count differs from the baseline run's count for the same frame. Measured only
  /// when the test is compared with a baseline (`Evidence/`), never by the run alone.
  case framesChanged = "frames.changed"

  public var unit: String {
    switch self {
    case .countExactMatch, .countWithinOne: "ratio"
    case .countMAE, .countRMSE, .countMaxAbsError, .countBias, .lineInError, .lineOutError: "people"
    case .latencyP50, .latencyP95, .latencyP99, .latencyMax, .latencyMean: "ms"
    case .ramPeak: "KiB"
    case .framesMissing, .framesDuplicated, .framesUnknown, .framesScored, .framesChanged: "frames"
    }
  }

  public static func < (a: Metric, b: Metric) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// One measured value.
public struct MetricValue: Sendable, Codable, Equatable {
  public var metric: Metric
  public var value: Double
  public init(_ metric: Metric, _ value: Double) {
    self.metric = metric
    self.value = value
  }
}

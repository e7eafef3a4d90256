// SPDX-License-Identifier: Apache-2.0

/// Turns a test's scored frames into metrics, and metrics into violated limits.
///
/// Frames are added one at a time as their results arrive, so scoring a clip of any length keeps
/// only a few running sums and one latency value per frame.
public struct Evaluator: Sendable {
  /// What the DUT said about itself that scoring needs.
  public struct DeviceFacts: Sendable, Equatable {
    public var cpuHz: Int
    public var staticRAM: Int
    public var arenaUsed: Int
    public init(cpuHz: Int, staticRAM: Int, arenaUsed: Int) {
      self.cpuHz = cpuHz
      self.staticRAM = staticRAM
      self.arenaUsed = arenaUsed
    }
    public init(_ identity: Identity) {
      self.init(cpuHz: identity.cpuHz, staticRAM: identity.staticRAM, arenaUsed: identity.arenaUsed)
    }
  }

  public let device: DeviceFacts
  private var scored = 0
  private var exact = 0
  private var withinOne = 0
  private var absSum = 0.0
  private var squareSum = 0.0
  private var signedSum = 0.0
  private var maxAbs = 0.0
  private var lastLine: (label: FrameLabel, report: FrameReport)?
  private var latencies: [Double] = []
  private var peakStackAndHeap = 0

  public init(device: DeviceFacts) {
    self.device = device
  }

  /// Scores one frame the DUT reported with status `ok`.
  public mutating func add(label: FrameLabel, report: FrameReport) {
    scored += 1
    let error = Double(report.count - label.count)
    if error == 0 { exact += 1 }
    if abs(error) <= 1 { withinOne += 1 }
    absSum += abs(error)
    squareSum += error * error
    signedSum += error
    maxAbs = max(maxAbs, abs(error))
    lastLine = (label, report)
    if device.cpuHz > 0 {
      latencies.append(Double(report.cycles.total) * 1000 / Double(device.cpuHz))
    }
    peakStackAndHeap = max(peakStackAndHeap, report.stackHighWater + report.heapHighWater)
  }

  public var framesScored: Int { scored }

  /// Every metric that can be computed, in `Metric` order. Count, line, latency and RAM metrics
  /// exist only when at least one frame was scored; line metrics only when the labels carry in/out.
  public func metrics(accounting: FrameAccounting) -> [MetricValue] {
    var values: [MetricValue] = []
    if scored > 0 {
      let n = Double(scored)
      values.append(MetricValue(.countExactMatch, Double(exact) / n))
      values.append(MetricValue(.countWithinOne, Double(withinOne) / n))
      values.append(MetricValue(.countMAE, absSum / n))
      values.append(MetricValue(.countRMSE, (squareSum / n).squareRoot()))
      values.append(MetricValue(.countMaxAbsError, maxAbs))
      values.append(MetricValue(.countBias, signedSum / n))
      if let (label, report) = lastLine, let labelIn = label.inCount, let labelOut = label.outCount {
        values.append(MetricValue(.lineInError, Double(abs(report.inCount - labelIn))))
        values.append(MetricValue(.lineOutError, Double(abs(report.outCount - labelOut))))
      }
      let sorted = latencies.sorted()
      if let max = sorted.last {
        values.append(MetricValue(.latencyP50, Percentile.nearestRank(sorted, 50)!))
        values.append(MetricValue(.latencyP95, Percentile.nearestRank(sorted, 95)!))
        values.append(MetricValue(.latencyP99, Percentile.nearestRank(sorted, 99)!))
        values.append(MetricValue(.latencyMax, max))
        values.append(MetricValue(.latencyMean, sorted.reduce(0, +) / Double(sorted.count)))
      }
      let peakBytes = device.staticRAM + device.arenaUsed + peakStackAndHeap
      values.append(MetricValue(.ramPeak, Double(peakBytes) / 1024))
    }
    values.append(MetricValue(.framesMissing, Double(accounting.missing)))
    values.append(MetricValue(.framesDuplicated, Double(accounting.duplicated)))
    values.append(MetricValue(.framesUnknown, Double(accounting.unknown)))
    values.append(MetricValue(.framesScored, Double(scored)))
    return values
  }

  /// The limits the metrics break. A limit on a metric that could not be measured is broken too:
  /// nothing measured is never a pass.
  public static func violations(of limits: [Limit], in metrics: [MetricValue]) -> [LimitViolation] {
    // A metric measured only against a baseline (frames.changed) is judged after the run, with
    // the comparison (`BaselineVerdict`).
    limits.filter { !$0.metric.needsBaseline }.compactMap { violation(of: $0, in: metrics) }
  }

  /// The one limit broken, or nil.
  public static func violation(of limit: Limit, in metrics: [MetricValue]) -> LimitViolation? {
    guard let actual = metrics.first(where: { $0.metric == limit.metric })?.value else {
      return LimitViolation(limit: limit, actual: nil)
    }
    return limit.comparison.holds(actual, limit.threshold) ? nil : LimitViolation(limit: limit, actual: actual)
  }
}

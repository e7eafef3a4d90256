// SPDX-License-Identifier: Apache-2.0

/// A test's per-frame results, stored as columns (struct of arrays) so that a run of 100 tests ×
/// 1,000 frames stays small in memory, in history and in a comparison.
///
/// Each entry says, for one frame of the clip: its index, its label, the count the DUT reported,
/// the device latency, the stack + heap the DUT had used by then, and what the host found. A value
/// the DUT never reported (a dropped frame, a frame reported with a device error) is nil.
public struct FrameSeries: Sendable, Equatable, Codable, RandomAccessCollection {
  /// One frame, as read from or appended to the columns.
  public struct Frame: Sendable, Equatable {
    /// 0-based index in the clip.
    public var index: Int
    /// The labelled number of people in view.
    public var label: Int
    /// The DUT's count; nil when it reported none for this frame or reported it with a status
    /// other than `ok` (such a frame is not scored).
    public var count: Int?
    /// Device latency (all stage cycles ÷ the CPU clock), microseconds.
    public var latencyMicroseconds: Int?
    /// Stack + heap high-water marks the DUT reported with this frame, bytes.
    public var stackHeapBytes: Int?
    public var finding: FrameOutcome.Finding

    public init(
      index: Int, label: Int, count: Int?, latencyMicroseconds: Int?, stackHeapBytes: Int?,
      finding: FrameOutcome.Finding
    ) {
      self.index = index
      self.label = label
      self.count = count
      self.latencyMicroseconds = latencyMicroseconds
      self.stackHeapBytes = stackHeapBytes
      self.finding = finding
    }

    /// Device latency in milliseconds.
    public var latencyMilliseconds: Double? { latencyMicroseconds.map { Double($0) / 1000 } }
  }

  /// Marks a value the DUT did not report, in the integer columns.
  static let absent: Int32 = -1

  var frameIndices: [Int32] = []
  var labels: [Int32] = []
  var counts: [Int32] = []
  var latencies: [Int32] = []
  var stackHeap: [Int32] = []
  var findings: [FrameOutcome.Finding] = []

  public init() {}

  public init(_ frames: some Sequence<Frame>) {
    for frame in frames { append(frame) }
  }

  public mutating func reserveCapacity(_ n: Int) {
    frameIndices.reserveCapacity(n)
    labels.reserveCapacity(n)
    counts.reserveCapacity(n)
    latencies.reserveCapacity(n)
    stackHeap.reserveCapacity(n)
    findings.reserveCapacity(n)
  }

  public mutating func append(_ frame: Frame) {
    frameIndices.append(Int32(clamping: frame.index))
    labels.append(Int32(clamping: frame.label))
    counts.append(frame.count.map { Int32(clamping: $0) } ?? Self.absent)
    latencies.append(frame.latencyMicroseconds.map { Int32(clamping: Swift.max($0, 0)) } ?? Self.absent)
    stackHeap.append(frame.stackHeapBytes.map { Int32(clamping: Swift.max($0, 0)) } ?? Self.absent)
    findings.append(frame.finding)
  }

  /// Appends a frame as the runner resolved it. A report with a status other than `ok` keeps its
  /// latency and memory but no count, as the run did not score it.
  public mutating func append(_ outcome: FrameOutcome) {
    let report = outcome.report
    append(Frame(
      index: outcome.index, label: outcome.label.count,
      count: report?.status == "ok" ? report?.count : nil,
      latencyMicroseconds: outcome.latencyMilliseconds.map { Int(($0 * 1000).rounded()) },
      stackHeapBytes: report.map { $0.stackHighWater + $0.heapHighWater },
      finding: outcome.finding))
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { frameIndices.count }

  public subscript(position: Int) -> Frame {
    func value(_ v: Int32) -> Int? { v == Self.absent ? nil : Int(v) }
    return Frame(
      index: Int(frameIndices[position]), label: Int(labels[position]), count: value(counts[position]),
      latencyMicroseconds: value(latencies[position]), stackHeapBytes: value(stackHeap[position]),
      finding: findings[position])
  }
}

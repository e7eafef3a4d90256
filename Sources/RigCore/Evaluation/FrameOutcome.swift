// SPDX-License-Identifier: Apache-2.0

/// One frame of a test after matching: what the label says and what the DUT reported for it.
public struct FrameOutcome: Sendable, Equatable {
  public enum Finding: String, Sendable, Codable {
    /// The DUT reported this frame once, as expected.
    case matched
    /// No result ever arrived for this frame (and the emulator never served it, as far as the
    /// host knows).
    case missing
    /// The emulator served the frame, the DUT reported nothing for it.
    case dropped
    /// The DUT read other bytes than the host sent.
    case damaged
    /// The DUT got only part of the frame.
    case truncated
    /// The DUT rejected the FIFO length the emulator reported for the frame.
    case badLength = "bad_length"
    /// The emulator latched the frame but never raised CAP_DONE.
    case captureStuck = "capture_stuck"
  }

  /// 0-based index in the clip.
  public var index: Int
  public var label: FrameLabel
  /// The DUT's report, nil when the frame is missing.
  public var report: FrameReport?
  /// CRC32 of the bytes the host sent for this frame.
  public var sentCRC: UInt32
  public var finding: Finding
  /// Host time between the frame being queued on the emulator and its result arriving, seconds.
  public var hostSeconds: Double?
  /// Device latency in milliseconds: all stage cycles ÷ the CPU clock the DUT reported.
  public var latencyMilliseconds: Double?

  public init(
    index: Int, label: FrameLabel, report: FrameReport?, sentCRC: UInt32, finding: Finding,
    cpuHz: Int, hostSeconds: Double? = nil
  ) {
    self.index = index
    self.label = label
    self.report = report
    self.sentCRC = sentCRC
    self.finding = finding
    self.hostSeconds = hostSeconds
    if let report, cpuHz > 0 {
      latencyMilliseconds = Double(report.cycles.total) * 1000 / Double(cpuHz)
    }
  }
}

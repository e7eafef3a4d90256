// SPDX-License-Identifier: Apache-2.0

/// A clip's labels, one per frame in frame order, stored as compact columns.
///
/// A clip may have hundreds of thousands of frames and its labels stay in memory for the whole
/// run, so they take 4 bytes per frame (12 with line counts) rather than a `FrameLabel` each.
public struct FrameLabels: RandomAccessCollection, Sendable, Equatable {
  private var counts: [UInt32] = []
  /// Cumulative in/out per frame; empty when the labels carry no line counts.
  private var ins: [UInt32] = []
  private var outs: [UInt32] = []

  public init() {}

  /// Labels from rows whose `frame` is their index. Line counts are kept only if every row has them.
  public init(_ labels: some Sequence<FrameLabel>) {
    let rows = Array(labels)
    let withLines = !rows.isEmpty && rows.allSatisfy { $0.inCount != nil && $0.outCount != nil }
    counts.reserveCapacity(rows.count)
    for label in rows {
      counts.append(UInt32(clamping: label.count))
      if withLines {
        ins.append(UInt32(clamping: label.inCount ?? 0))
        outs.append(UInt32(clamping: label.outCount ?? 0))
      }
    }
  }

  /// Appends the label of the next frame. The first label decides whether line counts are kept.
  public mutating func append(_ label: FrameLabel) {
    if counts.isEmpty && label.inCount != nil && label.outCount != nil {
      ins.reserveCapacity(counts.capacity)
      outs.reserveCapacity(counts.capacity)
    }
    let keepLines = counts.isEmpty ? (label.inCount != nil && label.outCount != nil) : !ins.isEmpty
    counts.append(UInt32(clamping: label.count))
    if keepLines {
      ins.append(UInt32(clamping: label.inCount ?? 0))
      outs.append(UInt32(clamping: label.outCount ?? 0))
    }
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { counts.count }

  public subscript(index: Int) -> FrameLabel {
    FrameLabel(
      frame: index, count: Int(counts[index]), inCount: ins.isEmpty ? nil : Int(ins[index]),
      outCount: outs.isEmpty ? nil : Int(outs[index]))
  }

  /// Whether the labels carry cumulative line crossings.
  public var hasLineCounts: Bool { !ins.isEmpty }
}

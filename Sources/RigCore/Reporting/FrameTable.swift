// SPDX-License-Identifier: Apache-2.0

/// One test's `frames.csv`, held column by column in compact form (about 40 bytes a frame), for
/// the charts of the HTML report. Rows are sorted by frame; `none` marks an empty cell.
public struct FrameTable: Sendable, Equatable {
  /// An empty integer cell (no report for the frame, no in/out label).
  public static let none = Int32.min

  public var frame: [Int32] = []
  public var label: [Int32] = []
  public var count: [Int32] = []
  public var labelIn: [Int32] = []
  public var inCount: [Int32] = []
  public var labelOut: [Int32] = []
  public var outCount: [Int32] = []
  /// Device latency in milliseconds; NaN when the frame has none.
  public var latency: [Float] = []
  public var stack: [Int32] = []
  public var heap: [Int32] = []
  /// Index into `findingNames` (`matched`, `dropped`, `damaged`, …).
  public var finding: [UInt8] = []
  public var findingNames: [String] = []
  /// Index into `statusNames`; the DUT's status (`ok`, `len_invalid`, …), "" when it sent none.
  public var status: [UInt8] = []
  public var statusNames: [String] = []
  /// Lines that could not be read as a row (a cut last line, a damaged file).
  public var unreadableRows = 0

  public init() {}

  public var rowCount: Int { frame.count }

  /// Frames the charts span: one past the highest frame in the table.
  public var frameSpan: Int { Int(frame.last ?? -1) + 1 }

  public func findingName(_ row: Int) -> String { findingNames[Int(finding[row])] }

  public func statusName(_ row: Int) -> String { statusNames[Int(status[row])] }

  /// Whether the DUT's report for the row was scored: matched, with status `ok`.
  public func isScored(_ row: Int) -> Bool {
    count[row] != Self.none && findingName(row) == "matched" && statusName(row) == "ok"
  }

  /// A scored frame whose count differs from its label.
  public func isWrong(_ row: Int) -> Bool { isScored(row) && count[row] != label[row] }

  /// `matched` with status `ok` is no finding; anything else is, named by its finding or, for a
  /// matched frame the DUT flagged, `status <name>`.
  public func anomaly(_ row: Int) -> String? {
    let name = findingName(row)
    if name != "matched" { return name }
    let status = statusName(row)
    return status == "ok" || status.isEmpty ? nil : "status \(status)"
  }

  /// Equal cell by cell, an empty latency (NaN) equal to another.
  public static func == (a: FrameTable, b: FrameTable) -> Bool {
    a.frame == b.frame && a.label == b.label && a.count == b.count && a.labelIn == b.labelIn
      && a.inCount == b.inCount && a.labelOut == b.labelOut && a.outCount == b.outCount
      && a.latency.map(\.bitPattern) == b.latency.map(\.bitPattern) && a.stack == b.stack && a.heap == b.heap
      && a.finding == b.finding && a.findingNames == b.findingNames && a.status == b.status
      && a.statusNames == b.statusNames && a.unreadableRows == b.unreadableRows
  }

  /// Puts rows in frame order (they are written as frames resolve, which is almost always it).
  mutating func sortByFrame() {
    guard zip(frame, frame.dropFirst()).contains(where: { $0 > $1 }) else { return }
    let order = frame.indices.sorted { frame[$0] < frame[$1] }
    func reorder<T>(_ column: inout [T]) { column = order.map { column[$0] } }
    reorder(&frame)
    reorder(&label)
    reorder(&count)
    reorder(&labelIn)
    reorder(&inCount)
    reorder(&labelOut)
    reorder(&outCount)
    reorder(&latency)
    reorder(&stack)
    reorder(&heap)
    reorder(&finding)
    reorder(&status)
  }
}

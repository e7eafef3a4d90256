// SPDX-License-Identifier: Apache-2.0

/// Reads a `frames.csv` (the format `FramesCSVWriter` writes) into a `FrameTable`, fed in chunks
/// of any size, so a 100,000-frame file never has to be in memory whole.
///
/// Columns are found by their header names, so files with columns added or reordered still read.
/// A line that is not a row (damaged, or cut short by a crash) is counted and skipped.
public struct FrameTableParser {
  private var table = FrameTable()
  private var pending: [UInt8] = []
  private var columns: Columns?
  private var findingCodes: [String: UInt8] = [:]
  private var statusCodes: [String: UInt8] = [:]

  public init() {}

  /// Adds the next bytes of the file.
  public mutating func consume(_ bytes: some Sequence<UInt8>) {
    pending.append(contentsOf: bytes)
    var lineStart = 0
    pending.withUnsafeBufferPointer { buffer in
      var i = 0
      while i < buffer.count {
        if buffer[i] == UInt8(ascii: "\n") {
          line(UnsafeBufferPointer(rebasing: buffer[lineStart..<i]))
          lineStart = i + 1
        }
        i += 1
      }
    }
    pending.removeFirst(lineStart)
  }

  /// The table of every row read; a last line without its newline is read if it is whole.
  public mutating func finish() -> FrameTable {
    if !pending.isEmpty {
      pending.withUnsafeBufferPointer { line($0) }
      pending = []
    }
    table.sortByFrame()
    return table
  }

  /// The whole of a small file at once (tests).
  public static func parse(_ text: String) -> FrameTable {
    var parser = FrameTableParser()
    parser.consume(Array(text.utf8))
    return parser.finish()
  }

  private mutating func line(_ raw: UnsafeBufferPointer<UInt8>) {
    var bytes = raw
    if let last = bytes.last, last == UInt8(ascii: "\r") {
      bytes = UnsafeBufferPointer(rebasing: bytes.dropLast())
    }
    if bytes.isEmpty { return }
    var fields: [Range<Int>] = []
    fields.reserveCapacity(20)
    var start = 0
    for i in 0..<bytes.count where bytes[i] == UInt8(ascii: ",") {
      fields.append(start..<i)
      start = i + 1
    }
    fields.append(start..<bytes.count)
    guard let columns else {
      let names = fields.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
      if let found = Columns(header: names) { self.columns = found } else { table.unreadableRows += 1 }
      return
    }
    func field(_ index: Int?) -> UnsafeBufferPointer<UInt8>? {
      guard let index else { return nil }
      return UnsafeBufferPointer(rebasing: bytes[fields[index]])
    }
    func integer(_ index: Int?) -> Int32 { field(index).flatMap(Self.integer) ?? FrameTable.none }
    guard fields.count == columns.total, let frame = Self.integer(field(columns.frame)!), frame >= 0 else {
      table.unreadableRows += 1
      return
    }
    table.frame.append(frame)
    table.label.append(integer(columns.label))
    table.count.append(integer(columns.count))
    table.labelIn.append(integer(columns.labelIn))
    table.inCount.append(integer(columns.inCount))
    table.labelOut.append(integer(columns.labelOut))
    table.outCount.append(integer(columns.outCount))
    let hasReport = table.count.last != FrameTable.none
    let latency = hasReport ? field(columns.latency).flatMap(Self.decimal) : nil
    table.latency.append(latency.map(Float.init) ?? .nan)
    table.stack.append(integer(columns.stack))
    table.heap.append(integer(columns.heap))
    table.finding.append(Self.code(field(columns.finding), &findingCodes, &table.findingNames))
    table.status.append(Self.code(field(columns.status), &statusCodes, &table.statusNames))
  }

  /// Where each column is, from the header line.
  private struct Columns {
    var total: Int
    var frame: Int
    var label, count, labelIn, inCount, labelOut, outCount, latency, stack, heap, finding, status: Int?

    init?(header: [String]) {
      func index(_ name: String) -> Int? { header.firstIndex(of: name) }
      guard let frame = index("frame") else { return nil }
      total = header.count
      self.frame = frame
      label = index("label_count")
      count = index("count")
      labelIn = index("label_in")
      inCount = index("in")
      labelOut = index("label_out")
      outCount = index("out")
      latency = index("latency_ms")
      stack = index("stack_bytes")
      heap = index("heap_bytes")
      finding = index("finding")
      status = index("status")
    }
  }

  /// A small number for a name, adding the name the first time it is seen.
  private static func code(
    _ bytes: UnsafeBufferPointer<UInt8>?, _ codes: inout [String: UInt8], _ names: inout [String]
  ) -> UInt8 {
    let name = bytes.map { String(decoding: $0, as: UTF8.self) } ?? ""
    if let code = codes[name] { return code }
    // Past 255 distinct names (a damaged file), the rest share the last code.
    guard names.count < 255 else { return 254 }
    names.append(name)
    let code = UInt8(names.count - 1)
    codes[name] = code
    return code
  }

  /// `-12` → -12; nil for an empty or non-numeric cell or one beyond Int32.
  static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
    var value: Int64 = 0
    var negative = false
    var digits = 0
    for (i, byte) in bytes.enumerated() {
      if i == 0 && byte == UInt8(ascii: "-") {
        negative = true
        continue
      }
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 11 else { return nil }
      value = value * 10 + Int64(byte - UInt8(ascii: "0"))
      digits += 1
    }
    guard digits > 0 else { return nil }
    let signed = negative ? -value : value
    return signed > Int64(Int32.max) || signed <= Int64(Int32.min) ? nil : Int32(signed)
  }

  /// `12.345` → 12.345 (the fixed-point form rig writes); nil when not such a number.
  static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    var whole: Double = 0
    var fraction: Double = 0
    var scale: Double = 1
    var negative = false
    var afterPoint = false
    var digits = 0
    for (i, byte) in bytes.enumerated() {
      switch byte {
      case UInt8(ascii: "-") where i == 0: negative = true
      case UInt8(ascii: ".") where !afterPoint: afterPoint = true
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        let d = Double(byte - UInt8(ascii: "0"))
        if afterPoint {
          scale /= 10
          fraction += d * scale
        } else {
          whole = whole * 10 + d
        }
        digits += 1
      default: return nil
      }
    }
    guard digits > 0, digits <= 18 else { return nil }
    return (negative ? -1 : 1) * (whole + fraction)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Reads a frame record's fields in the order the agent and `TelemetryEncoder` write them, in a
/// single pass with no per-key lookup. It accepts exactly what the general field scan accepts
/// for that order and gives up (nil) on anything else, so the general path still decides every
/// unusual or damaged line.
enum TelemetryFrameFastPath {
  private typealias Bytes = UnsafeBufferPointer<UInt8>

  // " key=" literals packed little-endian, with their lengths.
  private static let seq: UInt64 = 0x3d_7165_7320  // " seq="
  private static let crc: UInt64 = 0x3d_6372_6320  // " crc="
  private static let len: UInt64 = 0x3d_6e65_6c20  // " len="
  private static let count: UInt64 = 0x3d_746e_756f_6320  // " count="
  private static let inCount: UInt64 = 0x3d6e_6920  // " in="
  private static let outCount: UInt64 = 0x3d_7475_6f20  // " out="
  private static let cyc: UInt64 = 0x3d_6379_6320  // " cyc="
  private static let stk: UInt64 = 0x3d_6b74_7320  // " stk="
  private static let heap: UInt64 = 0x3d70_6165_6820  // " heap="
  private static let st: UInt64 = 0x3d74_7320  // " st="

  /// The report, or nil when the fields are not exactly the canonical v1 frame fields.
  @inline(__always)
  static func report(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
    -> FrameReport?
  {
    var at = start
    guard literal(p, &at, end, seq, 5), let sequence = decimal(p, &at, end),
      literal(p, &at, end, crc, 5), let frameCRC = hex8(p, &at, end),
      literal(p, &at, end, len, 5), let length = decimal(p, &at, end),
      literal(p, &at, end, count, 7), let count = decimal(p, &at, end),
      literal(p, &at, end, inCount, 4), let inCount = decimal(p, &at, end),
      literal(p, &at, end, outCount, 5), let outCount = decimal(p, &at, end),
      literal(p, &at, end, cyc, 5), let capture = decimal(p, &at, end),
      comma(p, &at, end), let preprocess = decimal(p, &at, end),
      comma(p, &at, end), let invoke = decimal(p, &at, end),
      comma(p, &at, end), let postprocess = decimal(p, &at, end),
      literal(p, &at, end, stk, 5), let stack = decimal(p, &at, end),
      literal(p, &at, end, heap, 6), let heap = decimal(p, &at, end),
      literal(p, &at, end, st, 4)
    else { return nil }
    let statusStart = at
    while at < end {
      if p[at] == TelemetryFormat.space { return nil }
      at += 1
    }
    return FrameReport(
      sequence: sequence, frameCRC: frameCRC, length: Int(length), count: Int(count),
      inCount: Int(inCount), outCount: Int(outCount),
      cycles: StageCycles(
        capture: capture, preprocess: preprocess, invoke: invoke, postprocess: postprocess),
      stackHighWater: Int(stack), heapHighWater: Int(heap),
      status: status(p, statusStart, end))
  }

  /// Matches a packed literal of `length` bytes (at most 8) at `at`.
  @inline(__always)
  private static func literal(
    _ p: Bytes, _ at: inout Int, _ end: Int, _ packed: UInt64, _ length: Int
  ) -> Bool {
    guard at + length <= end else { return false }
    var value: UInt64 = 0
    var i = at + length
    while i > at {
      i -= 1
      value = value << 8 | UInt64(p[i])
    }
    guard value == packed else { return false }
    at += length
    return true
  }

  @inline(__always)
  private static func comma(_ p: Bytes, _ at: inout Int, _ end: Int) -> Bool {
    guard at < end, p[at] == TelemetryFormat.comma else { return false }
    at += 1
    return true
  }

  /// 1 to 10 decimal digits, at most 4294967295, ending at a non-digit or `end`.
  @inline(__always)
  private static func decimal(_ p: Bytes, _ at: inout Int, _ end: Int) -> UInt32? {
    let start = at
    var value: UInt64 = 0
    while at < end {
      let digit = p[at] &- 0x30
      if digit > 9 { break }
      value = value &* 10 &+ UInt64(digit)
      at += 1
    }
    guard at > start, at - start <= 10, value <= UInt64(UInt32.max) else { return nil }
    return UInt32(truncatingIfNeeded: value)
  }

  /// Exactly 8 hex digits of either case.
  @inline(__always)
  private static func hex8(_ p: Bytes, _ at: inout Int, _ end: Int) -> UInt32? {
    guard at + 8 <= end else { return nil }
    var value: UInt32 = 0
    for i in at..<(at + 8) {
      guard let digit = TelemetryFormat.hexValue(p[i]) else { return nil }
      value = value << 4 | digit
    }
    at += 8
    return value
  }

  /// The status text; "ok", nearly every frame's, without building a String from bytes.
  @inline(__always)
  private static func status(_ p: Bytes, _ start: Int, _ end: Int) -> String {
    if end - start == 2 && p[start] == UInt8(ascii: "o") && p[start + 1] == UInt8(ascii: "k") {
      return "ok"
    }
    return TelemetryParser.text(p, start, end)
  }
}

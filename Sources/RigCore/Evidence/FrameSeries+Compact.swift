// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The compact bytes of a `FrameSeries`, for a history store: about 8 bytes a frame where plain
/// columns take 21.
///
/// Layout (version 1): the byte `1`, the frame count as a LEB128 varint, then each column in
/// turn — frame index, label, count, latency µs, stack + heap bytes — as zigzag varints of the
/// difference to the previous entry of the same column (absent values as -1 before differencing),
/// then one byte per frame for the finding (`FrameSeries.findingCode`). Consecutive frames, steady
/// labels and slowly changing memory take one byte each.
extension FrameSeries {
  public static let compactVersion: UInt8 = 1

  public struct CompactDecodingError: Error, CustomStringConvertible, Equatable {
    public var description: String
  }

  /// The series as compact bytes.
  public func compactData() -> Data {
    var out: [UInt8] = [Self.compactVersion]
    out.reserveCapacity(8 * count + 16)
    appendVarint(UInt64(count), to: &out)
    for column in [frameIndices, labels, counts, latencies, stackHeap] {
      var previous: Int64 = 0
      for value in column {
        let v = Int64(value)
        appendVarint(zigzag(v - previous), to: &out)
        previous = v
      }
    }
    for finding in findings { out.append(Self.findingCode(finding)) }
    return Data(out)
  }

  /// A series from bytes `compactData()` wrote.
  /// - Throws: `CompactDecodingError` for bytes of another version, or cut short, or damaged.
  public init(compactData data: Data) throws {
    self.init()
    let bytes = [UInt8](data)
    guard let version = bytes.first else { throw CompactDecodingError(description: "no bytes") }
    guard version == Self.compactVersion else {
      throw CompactDecodingError(
        description: "per-frame data of version \(version); this rig reads version \(Self.compactVersion)")
    }
    var position = 1
    let n = try readVarint(bytes, &position)
    guard n <= UInt64(bytes.count) else {
      throw CompactDecodingError(description: "claims \(n) frames in \(bytes.count) bytes")
    }
    let frames = Int(n)
    var columns: [[Int32]] = []
    for _ in 0..<5 {
      var column: [Int32] = []
      column.reserveCapacity(frames)
      var previous: Int64 = 0
      for _ in 0..<frames {
        previous += unzigzag(try readVarint(bytes, &position))
        guard let value = Int32(exactly: previous) else {
          throw CompactDecodingError(description: "value out of range at byte \(position)")
        }
        column.append(value)
      }
      columns.append(column)
    }
    guard bytes.count - position == frames else {
      throw CompactDecodingError(
        description: "expected \(frames) finding bytes, found \(bytes.count - position)")
    }
    var decoded: [FrameOutcome.Finding] = []
    decoded.reserveCapacity(frames)
    for code in bytes[position...] {
      guard let finding = Self.finding(code: code) else {
        throw CompactDecodingError(description: "unknown finding code \(code)")
      }
      decoded.append(finding)
    }
    frameIndices = columns[0]
    labels = columns[1]
    counts = columns[2]
    latencies = columns[3]
    stackHeap = columns[4]
    findings = decoded
  }

  /// A finding's stored code. Codes are never reused or renumbered.
  static func findingCode(_ finding: FrameOutcome.Finding) -> UInt8 {
    switch finding {
    case .matched: 0
    case .missing: 1
    case .dropped: 2
    case .damaged: 3
    case .truncated: 4
    case .badLength: 5
    case .captureStuck: 6
    }
  }

  static func finding(code: UInt8) -> FrameOutcome.Finding? {
    let all: [FrameOutcome.Finding] = [
      .matched, .missing, .dropped, .damaged, .truncated, .badLength, .captureStuck,
    ]
    return all.first { findingCode($0) == code }
  }
}

private func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

private func unzigzag(_ u: UInt64) -> Int64 { Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1) }

private func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
  var v = value
  while v >= 0x80 {
    out.append(UInt8(v & 0x7F) | 0x80)
    v >>= 7
  }
  out.append(UInt8(v))
}

private func readVarint(_ bytes: [UInt8], _ position: inout Int) throws -> UInt64 {
  var value: UInt64 = 0
  var shift: UInt64 = 0
  while position < bytes.count {
    let byte = bytes[position]
    position += 1
    guard shift < 64 else { break }
    value |= UInt64(byte & 0x7F) << shift
    if byte < 0x80 { return value }
    shift += 7
  }
  throw FrameSeries.CompactDecodingError(description: "per-frame data cut short at byte \(position)")
}

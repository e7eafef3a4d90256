// SPDX-License-Identifier: Apache-2.0

/// Bytes that belong at an address: one ELF load segment, one run of Intel HEX records.
public struct ImageSegment: Sendable, Equatable {
  public var address: UInt32
  public var bytes: [UInt8]

  public init(address: UInt32, bytes: [UInt8]) {
    self.address = address
    self.bytes = bytes
  }

  /// One past the last byte (64-bit, so a segment ending at 4 GiB does not overflow).
  public var end: UInt64 { UInt64(address) + UInt64(bytes.count) }

  /// Merges segments that touch into runs, in address order.
  static func coalesce(_ segments: [ImageSegment]) -> [ImageSegment] {
    var merged: [ImageSegment] = []
    for segment in segments.sorted(by: { $0.address < $1.address }) where !segment.bytes.isEmpty {
      if let last = merged.last, last.end == UInt64(segment.address) {
        merged[merged.count - 1].bytes += segment.bytes
      } else {
        merged.append(segment)
      }
    }
    return merged
  }
}

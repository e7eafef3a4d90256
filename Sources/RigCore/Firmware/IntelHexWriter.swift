// SPDX-License-Identifier: Apache-2.0

/// Writes segments as Intel HEX: type 04 records for each 64 KiB page, data records of up to 16
/// bytes, and the end-of-file record.
public enum IntelHexWriter {
  /// The Intel HEX text of `segments`, lines ending in CRLF-free `\n`.
  public static func text(_ segments: [ImageSegment], bytesPerRecord: Int = 16) -> String {
    var lines: [String] = []
    var page: UInt32?
    for segment in ImageSegment.coalesce(segments) {
      var offset = 0
      while offset < segment.bytes.count {
        let address = segment.address &+ UInt32(offset)
        if page != address >> 16 {
          page = address >> 16
          lines.append(record(type: 0x04, offset: 0, data: [UInt8(address >> 24), UInt8((address >> 16) & 0xFF)]))
        }
        // A record never crosses a 64 KiB page.
        let room = Int(0x1_0000 - (address & 0xFFFF))
        let n = min(bytesPerRecord, segment.bytes.count - offset, room)
        lines.append(
          record(type: 0x00, offset: UInt16(address & 0xFFFF), data: Array(segment.bytes[offset..<offset + n])))
        offset += n
      }
    }
    lines.append(record(type: 0x01, offset: 0, data: []))
    return lines.joined(separator: "\n") + "\n"
  }

  static func record(type: UInt8, offset: UInt16, data: [UInt8]) -> String {
    let bytes = [UInt8(data.count), UInt8(offset >> 8), UInt8(offset & 0xFF), type] + data
    let checksum = UInt8(0) &- bytes.reduce(UInt8(0)) { $0 &+ $1 }
    return ":" + (bytes + [checksum]).map(hex2).joined()
  }
}

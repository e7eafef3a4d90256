// SPDX-License-Identifier: Apache-2.0

/// Little-endian fields of a link payload. Reading past the end gives 0, as the protocol asks
/// (a later version may append fields; an earlier one sends fewer).
struct EmulatorLinkFields {
  let bytes: [UInt8]

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  func u8(_ at: Int) -> UInt8 {
    at < bytes.count ? bytes[at] : 0
  }

  func u16(_ at: Int) -> UInt16 {
    UInt16(u8(at)) | UInt16(u8(at + 1)) << 8
  }

  func u32(_ at: Int) -> UInt32 {
    UInt32(u16(at)) | UInt32(u16(at + 2)) << 16
  }

  func u64(_ at: Int) -> UInt64 {
    UInt64(u32(at)) | UInt64(u32(at + 4)) << 32
  }

  /// Printable ASCII from `at` to the end (other bytes shown as `?`), at most `limit` characters.
  func text(from at: Int, limit: Int = 96) -> String {
    guard at < bytes.count else { return "" }
    let scalars = bytes[at...].prefix(limit).map { (0x20...0x7E).contains($0) ? Character(UnicodeScalar($0)) : "?" }
    return String(scalars)
  }
}

extension Array where Element == UInt8 {
  /// Appends `value` little-endian in `width` bytes.
  mutating func appendLinkField<T: FixedWidthInteger>(_ value: T, width: Int = MemoryLayout<T>.size) {
    for i in 0..<width { append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
  }
}

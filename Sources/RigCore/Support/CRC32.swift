// SPDX-License-Identifier: Apache-2.0

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF): the
/// checksum of zlib, of the telemetry records, and of the frame bytes the DUT reads.
/// Check value: `CRC32.checksum("123456789")` is 0xCBF43926.
public enum CRC32 {
  /// Slice-by-4 tables: table[0] is the classic byte table.
  @usableFromInline static let tables: [[UInt32]] = {
    var t = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 4)
    for i in 0..<256 {
      var c = UInt32(i)
      for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
      t[0][i] = c
    }
    for i in 0..<256 {
      for k in 1..<4 { t[k][i] = (t[k - 1][i] >> 8) ^ t[0][Int(t[k - 1][i] & 0xFF)] }
    }
    return t
  }()

  /// The CRC of `bytes`.
  @inlinable
  public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
    var crc = Running()
    crc.update(bytes)
    return crc.value
  }

  /// The CRC of a string's UTF-8 bytes.
  public static func checksum(_ string: String) -> UInt32 {
    checksum(Array(string.utf8))
  }

  /// A CRC computed over several pieces.
  public struct Running: Sendable {
    @usableFromInline var state: UInt32 = 0xFFFF_FFFF
    public init() {}

    @inlinable
    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
      let done = bytes.withContiguousStorageIfAvailable { buffer in
        update(UnsafeRawBufferPointer(buffer))
        return true
      }
      if done == nil {
        let t0 = CRC32.tables[0]
        var c = state
        for b in bytes { c = t0[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        state = c
      }
    }

    @inlinable
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
      CRC32.tables[0].withUnsafeBufferPointer { t0 in
        CRC32.tables[1].withUnsafeBufferPointer { t1 in
          CRC32.tables[2].withUnsafeBufferPointer { t2 in
            CRC32.tables[3].withUnsafeBufferPointer { t3 in
              var c = state
              var i = 0
              let n = buffer.count
              while i + 4 <= n {
                c ^= UInt32(buffer[i]) | UInt32(buffer[i + 1]) << 8 | UInt32(buffer[i + 2]) << 16
                  | UInt32(buffer[i + 3]) << 24
                c = t3[Int(c & 0xFF)] ^ t2[Int((c >> 8) & 0xFF)] ^ t1[Int((c >> 16) & 0xFF)]
                  ^ t0[Int(c >> 24)]
                i += 4
              }
              while i < n {
                c = t0[Int((c ^ UInt32(buffer[i])) & 0xFF)] ^ (c >> 8)
                i += 1
              }
              state = c
            }
          }
        }
      }
    }

    public var value: UInt32 { state ^ 0xFFFF_FFFF }
  }
}

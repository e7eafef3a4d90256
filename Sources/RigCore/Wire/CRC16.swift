// SPDX-License-Identifier: Apache-2.0

/// CRC-16/XMODEM (polynomial 0x1021, init 0, no reflection, no final XOR): the checksum of MBoot
/// serial frames. Check value: `CRC16.xmodem("123456789".utf8)` is 0x31C3.
public enum CRC16 {
  static let table: [UInt16] = (0..<256).map { index in
    var crc = UInt16(index) << 8
    for _ in 0..<8 { crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
    return crc
  }

  /// The CRC of `bytes`, continuing from `seed` (the CRC of what came before).
  public static func xmodem<C: Collection>(_ bytes: C, seed: UInt16 = 0) -> UInt16
  where C.Element == UInt8 {
    var crc = seed
    table.withUnsafeBufferPointer { t in
      for byte in bytes { crc = (crc << 8) ^ t[Int(UInt8(crc >> 8) ^ byte)] }
    }
    return crc
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The RT1062's on-chip RAM and registers as the ROM and the flashloader see them: sparse 4 KiB
/// pages, zero until written, lost at power off.
final class ROMMemory {
  private var pages: [UInt32: [UInt8]] = [:]
  private static let pageSize = 4096

  /// Whether `[address, address + count)` is RAM the serial downloader may write.
  static func isRAM(_ address: UInt32, _ count: Int) -> Bool {
    RT1062MemoryMap.ramWindow(holding: address, count: count) != nil
  }

  func write(_ address: UInt32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
      let at = address &+ UInt32(offset)
      let page = at / UInt32(Self.pageSize)
      let inPage = Int(at % UInt32(Self.pageSize))
      let n = min(Self.pageSize - inPage, bytes.count - offset)
      var content = pages[page] ?? [UInt8](repeating: 0, count: Self.pageSize)
      content.replaceSubrange(inPage..<inPage + n, with: bytes[offset..<offset + n])
      pages[page] = content
      offset += n
    }
  }

  func read(_ address: UInt32, _ count: Int) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(count)
    var offset = 0
    while offset < count {
      let at = address &+ UInt32(offset)
      let page = at / UInt32(Self.pageSize)
      let inPage = Int(at % UInt32(Self.pageSize))
      let n = min(Self.pageSize - inPage, count - offset)
      if let content = pages[page] {
        out += content[inPage..<inPage + n]
      } else {
        out += repeatElement(0, count: n)
      }
      offset += n
    }
    return out
  }

  func word(_ address: UInt32) -> UInt32 {
    let b = read(address, 4)
    return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
  }
}

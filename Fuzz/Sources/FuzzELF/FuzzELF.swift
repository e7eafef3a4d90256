// SPDX-License-Identifier: Apache-2.0
import Foundation
import FuzzSupport
import RigCore

/// ELF firmware images. Invariants: every byte of a load segment comes from the file, so the
/// segments never hold more bytes than the file; the flash image made of them is refused or
/// built, never anything else.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzELF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  guard let segments = try? ELFReader.segments(bytes, file: "fuzz.elf") else { return 0 }
  Fuzz.require(!segments.isEmpty, "an ELF file read with no segments")
  let held = segments.reduce(0) { $0 + $1.bytes.count }
  // Program headers may name one part of the file twice, so each may be counted once per header.
  Fuzz.require(held <= bytes.count * 65_535, "\(held) segment bytes from a \(bytes.count)-byte file")
  _ = try? FirmwareImageReader.image(
    segments, file: URL(fileURLWithPath: "fuzz.elf"), flashSize: RT1062MemoryMap.defaultFlashSize)
  return 0
}

/// A minimal 32-bit little-endian Arm ELF file with one load segment.
private func elf(address: UInt32, payload: [UInt8]) -> [UInt8] {
  func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
  func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
  var header: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 1, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
  header += le16(2) + le16(40) + le32(1) + le32(address) + le32(52) + le32(0) + le32(0x0500_0000)
  header += le16(52) + le16(32) + le16(1) + le16(40) + le16(0) + le16(0)
  let offset = UInt32(52 + 32)
  let size = UInt32(payload.count)
  let program = le32(1) + le32(offset) + le32(address) + le32(address) + le32(size) + le32(size)
    + le32(5) + le32(4)
  return header + program + payload
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    [elf(address: 0x6000_0000, payload: Array(0..<64)), elf(address: 0x2000_0000, payload: [1, 2])]
  }
  return 0
}

// SPDX-License-Identifier: Apache-2.0

/// Reads the load segments of a 32-bit little-endian ELF file (an Arm Cortex-M7 build): the file
/// bytes of every PT_LOAD segment at its physical (load) address, which for an XIP image is in
/// flash even when the segment runs from RAM.
public enum ELFReader {
  static let machineARM: UInt16 = 40
  static let loadSegment: UInt32 = 1

  /// The load segments of `bytes`, merged into runs.
  public static func segments(_ bytes: [UInt8], file: String) throws(RigError) -> [ImageSegment] {
    guard bytes.count >= 52, bytes[0..<4].elementsEqual([0x7F, 0x45, 0x4C, 0x46]) else {
      throw RigError(.configInvalid, "\(file): not an ELF file (no \\x7FELF magic)")
    }
    guard bytes[4] == 1 else {
      throw RigError(
        .configInvalid, "\(file): a 64-bit ELF file; an RT1062 image is 32-bit (ELFCLASS32)")
    }
    guard bytes[5] == 1 else {
      throw RigError(.configInvalid, "\(file): a big-endian ELF file; the RT1062 is little-endian")
    }
    let machine = UInt16(bytes[18]) | UInt16(bytes[19]) << 8
    guard machine == machineARM else {
      throw RigError(
        .configInvalid, "\(file): built for ELF machine \(machine), not Arm (40); wrong toolchain?")
    }
    let programHeaders = Int(readLittleEndian(bytes, at: 28))
    let entrySize = Int(UInt16(bytes[42]) | UInt16(bytes[43]) << 8)
    let count = Int(UInt16(bytes[44]) | UInt16(bytes[45]) << 8)
    guard count > 0 else {
      throw RigError(.configInvalid, "\(file): the ELF file has no program headers (a relocatable .o?)")
    }
    guard entrySize >= 32, programHeaders + count * entrySize <= bytes.count else {
      throw RigError(.configInvalid, "\(file): the ELF program headers run past the end of the file")
    }
    var segments: [ImageSegment] = []
    for index in 0..<count {
      let at = programHeaders + index * entrySize
      guard readLittleEndian(bytes, at: at) == loadSegment else { continue }
      let offset = Int(readLittleEndian(bytes, at: at + 4))
      let physical = readLittleEndian(bytes, at: at + 12)
      let fileSize = Int(readLittleEndian(bytes, at: at + 16))
      guard fileSize > 0 else { continue }
      guard offset + fileSize <= bytes.count else {
        throw RigError(
          .configInvalid,
          "\(file): load segment \(index) (\(fileSize) bytes at file offset \(offset)) runs past the "
            + "end of the file; the file is cut short")
      }
      segments.append(ImageSegment(address: physical, bytes: Array(bytes[offset..<offset + fileSize])))
    }
    guard !segments.isEmpty else {
      throw RigError(.configInvalid, "\(file): the ELF file has no load segment with bytes to flash")
    }
    return ImageSegment.coalesce(segments)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Testing

@Suite struct FirmwareImageReaderTests {
  let folder: URL

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("rig-image-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  private func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
  }

  private func write(_ name: String, text: String) throws -> URL {
    try write(name, Array(text.utf8))
  }

  @Test("a .bin goes to the start of FlexSPI NOR unless an address is given")
  func bin() throws {
    let url = try write("a.bin", [1, 2, 3, 4])
    let image = try FirmwareImageReader.read(url)
    #expect(image.loadAddress == 0x6000_0000)
    #expect(image.bytes == [1, 2, 3, 4])
    #expect(try FirmwareImageReader.read(url, binAddress: 0x6000_2000).loadAddress == 0x6000_2000)
  }

  @Test("Intel HEX with an extended linear address lands in flash, gaps filled with 0xFF")
  func intelHex() throws {
    // Hand-written records: type 04 0x6000, 4 bytes at 0x0000, 2 bytes at 0x0008, EOF.
    let text = """
      :020000046000 9A
      :0400000001020304F2
      :02000800AABB91
      :00000001FF
      """.replacingOccurrences(of: " ", with: "")
    let image = try FirmwareImageReader.read(try write("a.hex", text: text))
    #expect(image.loadAddress == 0x6000_0000)
    #expect(image.bytes == [1, 2, 3, 4, 0xFF, 0xFF, 0xFF, 0xFF, 0xAA, 0xBB])
  }

  @Test("the Intel HEX writer's output reads back to the same bytes")
  func hexRoundTrip() throws {
    let bytes = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let text = IntelHexWriter.text([ImageSegment(address: 0x6000_FF00, bytes: bytes)])
    let image = try FirmwareImageReader.read(try write("round.hex", text: text))
    #expect(image.loadAddress == 0x6000_FF00)
    #expect(image.bytes == bytes)
  }

  @Test("a bad Intel HEX checksum is reported with file, line and the expected value")
  func hexChecksum() throws {
    let url = try write("bad.hex", text: ":020000046000 9A\n:0400000001020304F3\n:00000001FF\n".replacingOccurrences(of: " ", with: ""))
    let error = #expect(throws: RigError.self) { try FirmwareImageReader.read(url) }
    #expect(error?.message.contains("bad.hex:2: checksum 0xF3 is wrong (expected 0xF2)") == true)
    #expect(error?.code == .configInvalid)
  }

  @Test("Intel HEX without an end record is cut short")
  func hexTruncated() throws {
    let url = try write("cut.hex", text: ":0400000001020304F2\n")
    let error = #expect(throws: RigError.self) { try FirmwareImageReader.read(url, flashSize: 8 << 20) }
    #expect(error?.message.contains("no end-of-file record") == true)
  }

  @Test("bytes outside FlexSPI NOR are refused, naming the address and RAM when it is RAM")
  func outsideFlash() throws {
    let ram = try write("ram.bin", [0, 1])
    let error = #expect(throws: RigError.self) { try FirmwareImageReader.read(ram, binAddress: 0x2000_0000) }
    #expect(error?.message.contains("2 bytes at 0x20000000 lie outside FlexSPI NOR") == true)
    #expect(error?.message.contains("DTCM RAM") == true)
    let big = try write("big.bin", [UInt8](repeating: 0, count: 4096))
    let tooBig = #expect(throws: RigError.self) { try FirmwareImageReader.read(big, flashSize: 2048) }
    #expect(tooBig?.message.contains("larger than the flash") == true)
  }

  @Test("an ELF file's load segments go to their physical addresses; bss and non-load segments do not")
  func elf() throws {
    let elf = Self.elf(segments: [
      (type: 1, physical: 0x6000_0000, bytes: [0x46, 0x43, 0x46, 0x42]),
      (type: 1, physical: 0x6000_0010, bytes: [9, 8, 7]),
      (type: 1, physical: 0x2000_0000, bytes: []),  // .bss: memory only
      (type: 4, physical: 0x2000_1000, bytes: [1, 1]),  // PT_NOTE
    ])
    let image = try FirmwareImageReader.read(try write("fw.elf", elf))
    #expect(image.loadAddress == 0x6000_0000)
    #expect(image.bytes.count == 0x13)
    #expect(Array(image.bytes[0..<4]) == [0x46, 0x43, 0x46, 0x42])
    #expect(Array(image.bytes[0x10...]) == [9, 8, 7])
    #expect(image.bytes[4] == 0xFF)
  }

  @Test("an ELF for another machine or class is refused with the reason")
  func elfWrongMachine() throws {
    var elf = Self.elf(segments: [(type: 1, physical: 0x6000_0000, bytes: [1])])
    elf[18] = 62  // x86-64
    let url = try write("x86.elf", elf)
    let error = #expect(throws: RigError.self) { try FirmwareImageReader.read(url) }
    #expect(error?.message.contains("not Arm") == true)
    elf[4] = 2
    let wide = try write("wide.elf", elf)
    let wideError = #expect(throws: RigError.self) { try FirmwareImageReader.read(wide) }
    #expect(wideError?.message.contains("64-bit") == true)
  }

  @Test("the image hash is SHA-256 of the flash bytes, gaps included")
  func hash() throws {
    let text = ":020000046000 9A\n:0400000001020304F2\n:02000800AABB91\n:00000001FF\n"
      .replacingOccurrences(of: " ", with: "")
    let image = try FirmwareImageReader.read(try write("h.hex", text: text))
    #expect(image.hash == SHA256.hex([1, 2, 3, 4, 0xFF, 0xFF, 0xFF, 0xFF, 0xAA, 0xBB]))
    #expect(image.hash.count == 64)
    #expect(ImageHash.matches(reported: image.hash.uppercased(), expected: image.hash))
    #expect(!ImageHash.matches(reported: "", expected: image.hash))
    #expect(!ImageHash.matches(reported: "0", expected: "0"))
  }

  @Test("an IVT encodes its header as D1 00 20 41 and decodes back; a wrong tag does not decode")
  func ivt() {
    let ivt = ImageVectorTable(entry: 0x6000_2401, bootData: 0x6000_1020, selfAddress: 0x6000_1000)
    #expect(Array(ivt.bytes[0..<8]) == [0xD1, 0x00, 0x20, 0x41, 0x01, 0x24, 0x00, 0x60])
    #expect(ImageVectorTable(bytes: ivt.bytes) == ivt)
    var wrong = ivt.bytes
    wrong[0] = 0xD2
    #expect(ImageVectorTable(bytes: wrong) == nil)
    let boot = BootData(start: 0x6000_0000, length: 0x2000)
    #expect(BootData(bytes: boot.bytes) == boot)
  }

  /// A minimal 32-bit little-endian Arm ELF with the given program headers.
  static func elf(segments: [(type: UInt32, physical: UInt32, bytes: [UInt8])]) -> [UInt8] {
    func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
    func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    let headerSize = 52
    let phSize = 32
    var data: [UInt8] = []
    var offsets: [UInt32] = []
    let dataStart = headerSize + phSize * segments.count
    for segment in segments {
      offsets.append(UInt32(dataStart + data.count))
      data += segment.bytes
    }
    var out: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 1, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
    out += le16(2) + le16(40) + le32(1) + le32(0x6000_2000) + le32(UInt32(headerSize)) + le32(0)
    out += le32(0x0500_0400) + le16(UInt16(headerSize)) + le16(UInt16(phSize)) + le16(UInt16(segments.count))
    out += le16(40) + le16(0) + le16(0)
    for (segment, offset) in zip(segments, offsets) {
      out += le32(segment.type) + le32(offset) + le32(segment.physical) + le32(segment.physical)
      out += le32(UInt32(segment.bytes.count)) + le32(UInt32(segment.bytes.count) + 16) + le32(5) + le32(4)
    }
    return out + data
  }
}

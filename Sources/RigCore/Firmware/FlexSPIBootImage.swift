// SPDX-License-Identifier: Apache-2.0

/// The layout of a bootable RT1062 FlexSPI NOR image (docs/flashing-protocols.md §4.10): FCB at
/// 0x6000_0000, IVT at 0x6000_1000 with its boot data right after, application at 0x6000_2000.
///
/// `make` builds one (the simulator's factory image, test images); `inspect` reads one back the
/// way the boot ROM does.
public enum FlexSPIBootImage {
  /// Offset of the application (vector table) from the start of flash.
  public static let applicationOffset = 0x2000
  /// Offset of the boot data, right after the IVT.
  public static let bootDataOffset = Int(RT1062MemoryMap.ivtOffset) + ImageVectorTable.size

  /// What the ROM finds at the start of flash.
  public struct Header: Sendable, Equatable {
    public var ivt: ImageVectorTable
    public var bootData: BootData
  }

  /// A boot image with `application` at 0x6000_2000; the boot data names the whole image, so
  /// the firmware's own image hash (over the boot data's extent) equals rig's hash of the file.
  public static func make(application: [UInt8]) -> [UInt8] {
    let base = RT1062MemoryMap.flexSPIBase
    var image = [UInt8](repeating: 0xFF, count: applicationOffset + application.count)
    // FCB: tag "FCFB", version 'V' 1.4.0; the rest of the 512 bytes as a serial NOR with
    // default read settings would have them, which the simulator does not look at.
    var fcb = RT1062MemoryMap.fcbTag + [0x00, 0x04, 0x01, 0x56]
    fcb += [UInt8](repeating: 0, count: 512 - fcb.count)
    image.replaceSubrange(0..<512, with: fcb)
    let ivtAddress = base + RT1062MemoryMap.ivtOffset
    let ivt = ImageVectorTable(
      entry: base + UInt32(applicationOffset) + 1, bootData: ivtAddress + UInt32(ImageVectorTable.size),
      selfAddress: ivtAddress)
    let boot = BootData(start: base, length: UInt32(image.count))
    let ivtOffset = Int(RT1062MemoryMap.ivtOffset)
    image.replaceSubrange(ivtOffset..<ivtOffset + ImageVectorTable.size, with: ivt.bytes)
    image.replaceSubrange(bootDataOffset..<bootDataOffset + BootData.size, with: boot.bytes)
    image.replaceSubrange(applicationOffset..<image.count, with: application)
    return image
  }

  /// The boot header of a flash whose bytes `read(offset, count)` returns, or why the ROM would
  /// not boot it.
  public static func inspect(flashSize: Int, read: (Int, Int) -> [UInt8]) -> Result<Header, BootRefusal> {
    guard read(0, 4) == RT1062MemoryMap.fcbTag else { return .failure(.noFCB) }
    let ivtOffset = Int(RT1062MemoryMap.ivtOffset)
    guard let ivt = ImageVectorTable(bytes: read(ivtOffset, ImageVectorTable.size)) else {
      return .failure(.noIVT)
    }
    let base = RT1062MemoryMap.flexSPIBase
    let flash = RT1062MemoryMap.flashRange(size: flashSize)
    guard ivt.selfAddress == base + RT1062MemoryMap.ivtOffset else {
      return .failure(.ivtSelfMismatch(ivt.selfAddress))
    }
    guard flash.contains(UInt64(ivt.bootData)), flash.contains(UInt64(ivt.bootData) + UInt64(BootData.size) - 1),
      let boot = BootData(bytes: read(Int(ivt.bootData - base), BootData.size))
    else {
      return .failure(.bootDataOutside(ivt.bootData))
    }
    let end = UInt64(boot.start) + UInt64(boot.length)
    guard boot.start == base, boot.length > 0, end <= flash.upperBound else {
      return .failure(.imageOutside(start: boot.start, length: boot.length))
    }
    guard UInt64(ivt.entry & ~1) >= UInt64(boot.start), UInt64(ivt.entry & ~1) < end else {
      return .failure(.entryOutside(ivt.entry))
    }
    return .success(Header(ivt: ivt, bootData: boot))
  }

  /// Why the boot ROM would not start an image from FlexSPI NOR.
  public enum BootRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case noFCB
    case noIVT
    case ivtSelfMismatch(UInt32)
    case bootDataOutside(UInt32)
    case imageOutside(start: UInt32, length: UInt32)
    case entryOutside(UInt32)

    public var description: String {
      switch self {
      case .noFCB: "no FlexSPI configuration block (tag FCFB) at 0x60000000"
      case .noIVT: "no IVT (tag 0xD1, length 32) at 0x60001000"
      case .ivtSelfMismatch(let address): "the IVT says it is at \(hex32(address)), not 0x60001000"
      case .bootDataOutside(let address): "the IVT's boot data at \(hex32(address)) is outside the flash"
      case .imageOutside(let start, let length):
        "the boot data's image (\(length) bytes at \(hex32(start))) does not start at 0x60000000 or leaves the flash"
      case .entryOutside(let entry): "the IVT's entry \(hex32(entry)) is outside the image"
      }
    }
  }
}

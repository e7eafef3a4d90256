// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The images the virtual board is born with: the factory firmware a fresh flash holds, and the
/// RAM flashloader the host loads through the serial downloader (NXP ships `ivt_flashloader.bin`
/// for real boards; this one is the simulator's).
public enum ROMImages {
  /// Marker the ROM recognises the simulated flashloader by, 0x1000 into the image.
  static let flashloaderMarker = Array("rig simulated MCUBoot flashloader K2.8.0".utf8)
  static let flashloaderSize = 16 * 1024
  /// Where the marker sits in the flashloader image.
  static let markerOffset = 0x1000

  /// The factory image of a new virtual board: a bootable FlexSPI image whose application is
  /// the built-in counting firmware's identity text padded to 8 KiB.
  public static let factoryFirmware: [UInt8] = {
    var application = Array("rig virtual people-counting firmware sim-1.0.0 (factory)\0".utf8)
    var random = SeededRandom(seed: 0xFAC7_0123, test: 0, frame: 0, purpose: 1)
    while application.count < 8 * 1024 { application.append(UInt8(truncatingIfNeeded: random.next())) }
    return FlexSPIBootImage.make(application: application)
  }()

  /// The simulated flashloader, laid out like NXP's `ivt_flashloader.bin`: loaded at
  /// 0x2000_0000, IVT at offset 0x400 (so JUMP_ADDRESS 0x2000_0400), boot data right after it,
  /// and a CRC-32 of everything before it in the last 4 bytes.
  public static let flashloader: [UInt8] = {
    let load = RT1062MemoryMap.flashloaderLoadAddress
    var image = [UInt8](repeating: 0, count: flashloaderSize)
    var random = SeededRandom(seed: 0xF1A5_41DE, test: 0, frame: 0, purpose: 2)
    for i in 0..<image.count { image[i] = UInt8(truncatingIfNeeded: random.next()) }
    let ivtAddress = RT1062MemoryMap.flashloaderIVTAddress
    let ivt = ImageVectorTable(
      entry: load + UInt32(markerOffset) + 0x101, bootData: ivtAddress + UInt32(ImageVectorTable.size),
      selfAddress: ivtAddress)
    let ivtOffset = Int(ivtAddress - load)
    image.replaceSubrange(ivtOffset..<ivtOffset + ImageVectorTable.size, with: ivt.bytes)
    let boot = BootData(start: load, length: UInt32(flashloaderSize))
    image.replaceSubrange(
      ivtOffset + ImageVectorTable.size..<ivtOffset + ImageVectorTable.size + BootData.size, with: boot.bytes)
    image.replaceSubrange(markerOffset..<markerOffset + flashloaderMarker.count, with: flashloaderMarker)
    let crc = CRC32.checksum(image[0..<flashloaderSize - 4])
    image.replaceSubrange(flashloaderSize - 4..<flashloaderSize, with: [
      UInt8(crc & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8((crc >> 16) & 0xFF), UInt8(crc >> 24),
    ])
    return image
  }()

  /// Whether `image` (as found in RAM from its boot data's start) is an intact simulated
  /// flashloader.
  static func isFlashloader(_ image: [UInt8]) -> Bool {
    guard image.count == flashloaderSize,
      image[markerOffset..<markerOffset + flashloaderMarker.count].elementsEqual(flashloaderMarker)
    else { return false }
    let stored = UInt32(image[flashloaderSize - 4]) | UInt32(image[flashloaderSize - 3]) << 8
      | UInt32(image[flashloaderSize - 2]) << 16 | UInt32(image[flashloaderSize - 1]) << 24
    return CRC32.checksum(image[0..<flashloaderSize - 4]) == stored
  }
}

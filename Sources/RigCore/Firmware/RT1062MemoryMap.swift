// SPDX-License-Identifier: Apache-2.0

/// The parts of the i.MX RT1062 memory map that flashing needs: the FlexSPI NOR window an XIP
/// image is linked to, the RAM the ROM loads a flashloader into, and the boot-image layout.
public enum RT1062MemoryMap {
  /// FlexSPI NOR is memory-mapped from here (XIP); the FCB sits at this address.
  public static let flexSPIBase: UInt32 = 0x6000_0000
  /// End (exclusive) of the FlexSPI AHB window: 504 MiB are addressable.
  public static let flexSPIWindowEnd: UInt64 = 0x7F80_0000
  /// The NOR on the MIMXRT1060-EVK/EVKB (IS25WP064) and on the Teensy 4.1: 8 MiB.
  public static let defaultFlashSize = 8 << 20
  /// NOR erase granularity on the EVK's QSPI flash.
  public static let sectorSize = 4096
  /// NOR program page.
  public static let pageSize = 256
  /// Erase block (pyOCD's erase unit).
  public static let blockSize = 64 * 1024

  /// Where the IVT of a FlexSPI NOR boot image sits, from the start of flash.
  public static let ivtOffset: UInt32 = 0x1000
  /// The tag every FlexSPI configuration block starts with: "FCFB".
  public static let fcbTag: [UInt8] = [0x46, 0x43, 0x46, 0x42]

  /// On-chip RAM windows (largest FlexRAM configuration): ITCM, DTCM and OCRAM.
  public static let ram: [(name: String, range: ClosedRange<UInt32>)] = [
    ("ITCM", 0x0000_0000...0x0007_FFFF),
    ("DTCM", 0x2000_0000...0x2007_FFFF),
    ("OCRAM", 0x2020_0000...0x202F_FFFF),
  ]

  /// Where NXP's `ivt_flashloader.bin` is loaded, and its IVT (at offset 0x400).
  public static let flashloaderLoadAddress: UInt32 = 0x2000_0000
  public static let flashloaderIVTAddress: UInt32 = 0x2000_0400
  /// Scratch RAM for FlexSPI option words (ConfigureMemory reads them from here).
  public static let optionScratchAddress: UInt32 = 0x2000

  /// The FlexSPI NOR range of a flash of `size` bytes.
  public static func flashRange(size: Int) -> Range<UInt64> {
    UInt64(flexSPIBase)..<UInt64(flexSPIBase) + UInt64(size)
  }

  /// The RAM window holding all of `[address, address + count)`, if one does.
  public static func ramWindow(holding address: UInt32, count: Int) -> String? {
    let end = UInt64(address) + UInt64(max(count, 1)) - 1
    return ram.first { $0.range.contains(address) && end <= UInt64($0.range.upperBound) }?.name
  }
}

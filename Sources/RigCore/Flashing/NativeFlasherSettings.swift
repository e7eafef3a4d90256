// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How the native flasher drives the ROM and the flashloader (`flasher: { rom: … }` in a rig
/// file). The defaults are NXP's recipe for the MIMXRT1060-EVK/EVKB over LPUART1.
public struct NativeFlasherSettings: Sendable, Equatable {
  /// NXP's `ivt_flashloader.bin` (or another RAM flashloader with an IVT).
  public var flashloader: URL?
  /// WRITE_FILE address of the flashloader.
  public var loadAddress: UInt32
  /// JUMP_ADDRESS: the flashloader's IVT (offset 0x400 in NXP's image).
  public var jumpAddress: UInt32
  /// FlexSPI NOR option words placed at `optionAddress` for ConfigureMemory (0xC0000007: QuadSPI
  /// SDR, SFDP, 133 MHz, the EVK's IS25WP064).
  public var optionWords: [UInt32]
  public var optionAddress: UInt32
  /// Memory ID of writes, erases and reads: 9 (FlexSPI NOR); 0 works for the mapped window too.
  public var memoryID: UInt32
  /// Erase granularity: 4 KiB sectors on the EVK's NOR (64 KiB blocks also work).
  public var eraseUnit: Int
  /// The console's baud rate, for timeouts and the throughput report; 0 if not a real line.
  public var baud: Int
  /// A NAKed or damaged frame is tried this many more times.
  public var retries: Int
  /// How long the ROM has to answer ERROR_STATUS after power on.
  public var romTimeout: Duration
  /// How long the flashloader has to answer a ping after JUMP_ADDRESS.
  public var pingTimeout: Duration
  /// Per command (erase and data phases get `eraseTimeout`).
  public var commandTimeout: Duration
  public var eraseTimeout: Duration
  /// Read the image back and compare (ReadMemory); off trusts the flashloader's own checks.
  public var verify: Bool

  public init(
    flashloader: URL? = nil, loadAddress: UInt32 = RT1062MemoryMap.flashloaderLoadAddress,
    jumpAddress: UInt32 = RT1062MemoryMap.flashloaderIVTAddress, optionWords: [UInt32] = [0xC000_0007],
    optionAddress: UInt32 = RT1062MemoryMap.optionScratchAddress, memoryID: UInt32 = 9,
    eraseUnit: Int = RT1062MemoryMap.sectorSize, baud: Int = 115_200, retries: Int = 3,
    romTimeout: Duration = .seconds(1), pingTimeout: Duration = .seconds(3),
    commandTimeout: Duration = .seconds(5), eraseTimeout: Duration = .seconds(60), verify: Bool = true
  ) {
    self.flashloader = flashloader
    self.loadAddress = loadAddress
    self.jumpAddress = jumpAddress
    self.optionWords = optionWords
    self.optionAddress = optionAddress
    self.memoryID = memoryID
    self.eraseUnit = eraseUnit
    self.baud = baud
    self.retries = retries
    self.romTimeout = romTimeout
    self.pingTimeout = pingTimeout
    self.commandTimeout = commandTimeout
    self.eraseTimeout = eraseTimeout
    self.verify = verify
  }

  /// The line's raw byte rate (8N1: 10 bits a byte), 0 if unknown.
  public var bytesPerSecond: Double { baud > 0 ? Double(baud) / 10 : 0 }
}

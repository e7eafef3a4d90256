// SPDX-License-Identifier: Apache-2.0

/// The i.MX Image Vector Table: 32 bytes the ROM reads to start an image, from FlexSPI NOR
/// (at 0x6000_1000) or from RAM (the JUMP_ADDRESS of the serial downloader).
///
/// Header: tag 0xD1, length 0x0020 big-endian, version 0x40/0x41; then little-endian words:
/// entry, reserved, DCD, boot data, self, CSF, reserved.
public struct ImageVectorTable: Sendable, Equatable {
  public static let size = 32
  public static let tag: UInt8 = 0xD1

  public var version: UInt8
  /// Where the ROM branches to.
  public var entry: UInt32
  public var dcd: UInt32
  /// Address of the boot data (image start, size, plugin flag).
  public var bootData: UInt32
  /// The IVT's own address: the ROM checks it against where it found the IVT.
  public var selfAddress: UInt32
  public var csf: UInt32

  /// An IVT without DCD and CSF.
  public init(entry: UInt32, bootData: UInt32, selfAddress: UInt32, version: UInt8 = 0x41) {
    self.version = version
    self.entry = entry
    self.dcd = 0
    self.bootData = bootData
    self.selfAddress = selfAddress
    self.csf = 0
  }

  /// The 32 bytes.
  public var bytes: [UInt8] {
    var out: [UInt8] = [Self.tag, 0x00, 0x20, version]
    for word in [entry, 0, dcd, bootData, selfAddress, csf, 0] { out += littleEndian(word) }
    return out
  }

  /// Decodes an IVT; nil unless the header has the IVT tag, length 32 and version 0x4x.
  public init?<C: RandomAccessCollection>(bytes: C) where C.Element == UInt8, C.Index == Int {
    guard bytes.count >= Self.size else { return nil }
    let b = Array(bytes.prefix(Self.size))
    guard b[0] == Self.tag, b[1] == 0x00, b[2] == 0x20, b[3] & 0xF0 == 0x40 else { return nil }
    version = b[3]
    entry = readLittleEndian(b, at: 4)
    dcd = readLittleEndian(b, at: 12)
    bootData = readLittleEndian(b, at: 16)
    selfAddress = readLittleEndian(b, at: 20)
    csf = readLittleEndian(b, at: 24)
  }
}

/// The boot data an IVT points at: where the image starts, how long it is, and whether it is a
/// plugin.
public struct BootData: Sendable, Equatable {
  public static let size = 12
  public var start: UInt32
  public var length: UInt32
  public var plugin: UInt32

  /// Boot data for a normal (non-plugin) image.
  public init(start: UInt32, length: UInt32, plugin: UInt32 = 0) {
    self.start = start
    self.length = length
    self.plugin = plugin
  }

  public var bytes: [UInt8] {
    littleEndian(start) + littleEndian(length) + littleEndian(plugin)
  }

  /// Decodes 12 bytes.
  public init?<C: RandomAccessCollection>(bytes: C) where C.Element == UInt8, C.Index == Int {
    guard bytes.count >= Self.size else { return nil }
    let b = Array(bytes.prefix(Self.size))
    start = readLittleEndian(b, at: 0)
    length = readLittleEndian(b, at: 4)
    plugin = readLittleEndian(b, at: 8)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// The flashloader properties a host reads with GetProperty (and sets with SetProperty).
public enum MBootProperty: UInt32, Sendable, CaseIterable {
  case currentVersion = 0x01
  case availablePeripherals = 0x02
  case flashStartAddress = 0x03
  case flashSize = 0x04
  case flashSectorSize = 0x05
  case flashBlockCount = 0x06
  case availableCommands = 0x07
  case verifyWrites = 0x0A
  case maxPacketSize = 0x0B
  case reservedRegions = 0x0C
  case ramStartAddress = 0x0E
  case ramSize = 0x0F
  case systemDeviceIdent = 0x10
  case flashSecurityState = 0x11
  case uniqueDeviceIdent = 0x12
  case externalMemoryAttributes = 0x19

  /// The name NXP's documents use.
  public var name: String {
    switch self {
    case .currentVersion: "CurrentVersion"
    case .availablePeripherals: "AvailablePeripherals"
    case .flashStartAddress: "FlashStartAddress"
    case .flashSize: "FlashSize"
    case .flashSectorSize: "FlashSectorSize"
    case .flashBlockCount: "FlashBlockCount"
    case .availableCommands: "AvailableCommands"
    case .verifyWrites: "VerifyWrites"
    case .maxPacketSize: "MaxPacketSize"
    case .reservedRegions: "ReservedRegions"
    case .ramStartAddress: "RamStartAddress"
    case .ramSize: "RamSize"
    case .systemDeviceIdent: "SystemDeviceIdent"
    case .flashSecurityState: "FlashSecurityState"
    case .uniqueDeviceIdent: "UniqueDeviceIdent"
    case .externalMemoryAttributes: "ExternalMemoryAttributes"
    }
  }

  /// A CurrentVersion value as text: byte 3 is the mark ('K'), then major, minor, bugfix.
  public static func versionText(_ value: UInt32) -> String {
    let mark = UInt8(value >> 24)
    let prefix = (0x20..<0x7F).contains(mark) ? String(UnicodeScalar(mark)) : ""
    return "\(prefix)\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
  }
}

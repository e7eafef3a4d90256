// SPDX-License-Identifier: Apache-2.0

/// One command of the i.MX RT ROM Serial Download Protocol: always 16 bytes, fields big-endian
/// (type 2, address 4, format 1, count 4, data 4, reserved 1).
public struct SDPCommand: Sendable, Equatable, CustomStringConvertible {
  /// The command types of the ROM (both bytes of the type are the same).
  public enum Kind: UInt16, Sendable, CaseIterable {
    case readRegister = 0x0101
    case writeRegister = 0x0202
    case writeFile = 0x0404
    case errorStatus = 0x0505
    case writeCSF = 0x0606
    case dcdWrite = 0x0A0A
    case jumpAddress = 0x0B0B
    case skipDCDHeader = 0x0C0C
    case setBaudrate = 0x0D0D

    /// The name NXP's documents and `sdphost` use.
    public var name: String {
      switch self {
      case .readRegister: "READ_REGISTER"
      case .writeRegister: "WRITE_REGISTER"
      case .writeFile: "WRITE_FILE"
      case .errorStatus: "ERROR_STATUS"
      case .writeCSF: "WRITE_CSF"
      case .dcdWrite: "DCD_WRITE"
      case .jumpAddress: "JUMP_ADDRESS"
      case .skipDCDHeader: "SKIP_DCD_HEADER"
      case .setBaudrate: "SET_BAUDRATE"
      }
    }

    /// Whether the host streams `count` raw bytes right after the 16-byte command.
    public var hasDataPhase: Bool {
      self == .writeFile || self == .writeCSF || self == .dcdWrite
    }
  }

  /// Every command is this long on the wire.
  public static let size = 16

  public var kind: Kind
  public var address: UInt32
  /// Access width in bits for register commands (8, 16, 32); 0 otherwise.
  public var format: UInt8
  /// Byte count for reads, file writes and DCD.
  public var count: UInt32
  /// The value of WRITE_REGISTER.
  public var data: UInt32

  /// A command with every field given.
  public init(kind: Kind, address: UInt32 = 0, format: UInt8 = 0, count: UInt32 = 0, data: UInt32 = 0) {
    self.kind = kind
    self.address = address
    self.format = format
    self.count = count
    self.data = data
  }

  /// ERROR_STATUS: the probe that proves the ROM is listening.
  public static let errorStatus = SDPCommand(kind: .errorStatus)

  /// WRITE_FILE of `count` bytes to `address`; the bytes follow the command.
  public static func writeFile(address: UInt32, count: UInt32) -> SDPCommand {
    SDPCommand(kind: .writeFile, address: address, count: count)
  }

  /// JUMP_ADDRESS: `ivt` is the address of the image's IVT, not its entry point.
  public static func jumpAddress(ivt: UInt32) -> SDPCommand {
    SDPCommand(kind: .jumpAddress, address: ivt)
  }

  /// READ_REGISTER of `count` bytes from `address`, `format` bits at a time.
  public static func readRegister(address: UInt32, format: UInt8 = 32, count: UInt32) -> SDPCommand {
    SDPCommand(kind: .readRegister, address: address, format: format, count: count)
  }

  /// WRITE_REGISTER of `value` (`format` bits wide) at `address`.
  public static func writeRegister(address: UInt32, format: UInt8 = 32, value: UInt32) -> SDPCommand {
    SDPCommand(kind: .writeRegister, address: address, format: format, count: 0, data: value)
  }

  /// The 16 bytes on the wire.
  public var bytes: [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(Self.size)
    out += [UInt8(kind.rawValue >> 8), UInt8(kind.rawValue & 0xFF)]
    out += bigEndian(address)
    out.append(format)
    out += bigEndian(count)
    out += bigEndian(data)
    out.append(0)
    return out
  }

  /// Decodes 16 bytes; nil if they are not a command the ROM knows.
  public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
    let b = Array(bytes)
    guard b.count == Self.size else { return nil }
    guard let kind = Kind(rawValue: UInt16(b[0]) << 8 | UInt16(b[1])) else { return nil }
    self.kind = kind
    address = readBigEndian(b, at: 2)
    format = b[6]
    count = readBigEndian(b, at: 7)
    data = readBigEndian(b, at: 11)
  }

  public var description: String {
    switch kind {
    case .errorStatus, .skipDCDHeader, .setBaudrate: kind.name
    case .jumpAddress: "\(kind.name)(\(hex32(address)))"
    case .writeRegister: "\(kind.name)(\(hex32(address)), \(hex32(data)), \(format) bits)"
    default: "\(kind.name)(\(hex32(address)), \(count) bytes)"
    }
  }
}

/// `value` as 4 big-endian bytes.
func bigEndian(_ value: UInt32) -> [UInt8] {
  [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

/// The big-endian word at `offset`.
func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
  UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
    | UInt32(bytes[offset + 3])
}

/// `value` as 4 little-endian bytes.
func littleEndian(_ value: UInt32) -> [UInt8] {
  [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
}

/// The little-endian word at `offset`.
func readLittleEndian<C: RandomAccessCollection>(_ bytes: C, at offset: Int) -> UInt32
where C.Element == UInt8, C.Index == Int {
  let i = bytes.startIndex + offset
  return UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16
    | UInt32(bytes[i + 3]) << 24
}

/// `0x6000_0000` style: 0x and 8 uppercase hex digits.
public func hex32(_ value: UInt32) -> String {
  "0x" + hex8(value)
}

// SPDX-License-Identifier: Apache-2.0

/// An MBoot command (host to device) with its parameters in wire order.
public enum MBootCommand: Sendable, Equatable, CustomStringConvertible {
  /// Command tags.
  public enum Tag: UInt8, Sendable, CaseIterable {
    case flashEraseAll = 0x01
    case flashEraseRegion = 0x02
    case readMemory = 0x03
    case writeMemory = 0x04
    case fillMemory = 0x05
    case flashSecurityDisable = 0x06
    case getProperty = 0x07
    case receiveSBFile = 0x08
    case execute = 0x09
    case call = 0x0A
    case reset = 0x0B
    case setProperty = 0x0C
    case flashEraseAllUnsecure = 0x0D
    case flashProgramOnce = 0x0E
    case flashReadOnce = 0x0F
    case flashReadResource = 0x10
    case configureMemory = 0x11
    case reliableUpdate = 0x12
    case generateKeyBlob = 0x13

    /// The name NXP's documents use.
    public var name: String {
      switch self {
      case .flashEraseAll: "FlashEraseAll"
      case .flashEraseRegion: "FlashEraseRegion"
      case .readMemory: "ReadMemory"
      case .writeMemory: "WriteMemory"
      case .fillMemory: "FillMemory"
      case .flashSecurityDisable: "FlashSecurityDisable"
      case .getProperty: "GetProperty"
      case .receiveSBFile: "ReceiveSBFile"
      case .execute: "Execute"
      case .call: "Call"
      case .reset: "Reset"
      case .setProperty: "SetProperty"
      case .flashEraseAllUnsecure: "FlashEraseAllUnsecure"
      case .flashProgramOnce: "FlashProgramOnce"
      case .flashReadOnce: "FlashReadOnce"
      case .flashReadResource: "FlashReadResource"
      case .configureMemory: "ConfigureMemory"
      case .reliableUpdate: "ReliableUpdate"
      case .generateKeyBlob: "GenerateKeyBlob"
      }
    }
  }

  case flashEraseAll(memoryID: UInt32)
  case flashEraseRegion(address: UInt32, count: UInt32, memoryID: UInt32)
  /// Device-to-host data phase of `count` bytes.
  case readMemory(address: UInt32, count: UInt32, memoryID: UInt32)
  /// Host-to-device data phase of `count` bytes.
  case writeMemory(address: UInt32, count: UInt32, memoryID: UInt32)
  case fillMemory(address: UInt32, count: UInt32, pattern: UInt32)
  case getProperty(MBootProperty, memoryID: UInt32)
  case execute(address: UInt32, argument: UInt32, stackPointer: UInt32)
  case reset
  case setProperty(MBootProperty, value: UInt32)
  /// The flashloader reads the memory's option words from RAM at `address`.
  case configureMemory(memoryID: UInt32, address: UInt32)
  /// Any other command, kept as it came.
  case other(MBootPacket)

  /// The command tag.
  public var tag: UInt8 {
    switch self {
    case .flashEraseAll: Tag.flashEraseAll.rawValue
    case .flashEraseRegion: Tag.flashEraseRegion.rawValue
    case .readMemory: Tag.readMemory.rawValue
    case .writeMemory: Tag.writeMemory.rawValue
    case .fillMemory: Tag.fillMemory.rawValue
    case .getProperty: Tag.getProperty.rawValue
    case .execute: Tag.execute.rawValue
    case .reset: Tag.reset.rawValue
    case .setProperty: Tag.setProperty.rawValue
    case .configureMemory: Tag.configureMemory.rawValue
    case .other(let packet): packet.tag
    }
  }

  /// The command's packet: what goes in the command frame.
  public var packet: MBootPacket {
    switch self {
    case .flashEraseAll(let memoryID):
      MBootPacket(tag: tag, parameters: [memoryID])
    case .flashEraseRegion(let address, let count, let memoryID),
      .readMemory(let address, let count, let memoryID):
      MBootPacket(tag: tag, parameters: [address, count, memoryID])
    case .writeMemory(let address, let count, let memoryID):
      MBootPacket(tag: tag, dataPhase: true, parameters: [address, count, memoryID])
    case .fillMemory(let address, let count, let pattern):
      MBootPacket(tag: tag, parameters: [address, count, pattern])
    case .getProperty(let property, let memoryID):
      MBootPacket(tag: tag, parameters: [property.rawValue, memoryID])
    case .execute(let address, let argument, let stackPointer):
      MBootPacket(tag: tag, parameters: [address, argument, stackPointer])
    case .reset:
      MBootPacket(tag: tag, parameters: [])
    case .setProperty(let property, let value):
      MBootPacket(tag: tag, parameters: [property.rawValue, value])
    case .configureMemory(let memoryID, let address):
      MBootPacket(tag: tag, parameters: [memoryID, address])
    case .other(let packet):
      packet
    }
  }

  /// The command a packet carries (the device side); a known tag with too few parameters, or an
  /// unknown property, comes back as `.other`.
  public init(packet: MBootPacket) {
    let p = packet.parameters
    func has(_ n: Int) -> Bool { p.count >= n }
    switch Tag(rawValue: packet.tag) {
    case .flashEraseAll where has(1): self = .flashEraseAll(memoryID: p[0])
    case .flashEraseAll where p.isEmpty: self = .flashEraseAll(memoryID: 0)
    case .flashEraseRegion where has(2):
      self = .flashEraseRegion(address: p[0], count: p[1], memoryID: has(3) ? p[2] : 0)
    case .readMemory where has(2):
      self = .readMemory(address: p[0], count: p[1], memoryID: has(3) ? p[2] : 0)
    case .writeMemory where has(2):
      self = .writeMemory(address: p[0], count: p[1], memoryID: has(3) ? p[2] : 0)
    case .fillMemory where has(3): self = .fillMemory(address: p[0], count: p[1], pattern: p[2])
    case .getProperty where has(1):
      if let property = MBootProperty(rawValue: p[0]) {
        self = .getProperty(property, memoryID: has(2) ? p[1] : 0)
      } else {
        self = .other(packet)
      }
    case .execute where has(3): self = .execute(address: p[0], argument: p[1], stackPointer: p[2])
    case .reset: self = .reset
    case .setProperty where has(2):
      if let property = MBootProperty(rawValue: p[0]) {
        self = .setProperty(property, value: p[1])
      } else {
        self = .other(packet)
      }
    case .configureMemory where has(2): self = .configureMemory(memoryID: p[0], address: p[1])
    default: self = .other(packet)
    }
  }

  /// The command's name: `WriteMemory`, or `command 0x2A` for a tag nobody knows.
  public var name: String {
    Tag(rawValue: tag)?.name ?? "command 0x" + String(tag, radix: 16, uppercase: true)
  }

  public var description: String {
    switch self {
    case .flashEraseAll(let memoryID): "\(name)(memory \(memoryID))"
    case .flashEraseRegion(let address, let count, let memoryID),
      .readMemory(let address, let count, let memoryID),
      .writeMemory(let address, let count, let memoryID):
      "\(name)(\(hex32(address)), \(count) bytes, memory \(memoryID))"
    case .fillMemory(let address, let count, let pattern):
      "\(name)(\(hex32(address)), \(count) bytes, pattern \(hex32(pattern)))"
    case .getProperty(let property, let memoryID):
      "\(name)(\(property.name)" + (memoryID != 0 ? ", memory \(memoryID))" : ")")
    case .execute(let address, let argument, let stackPointer):
      "\(name)(\(hex32(address)), \(hex32(argument)), sp \(hex32(stackPointer)))"
    case .reset: name
    case .setProperty(let property, let value): "\(name)(\(property.name), \(value))"
    case .configureMemory(let memoryID, let address): "\(name)(memory \(memoryID), \(hex32(address)))"
    case .other(let packet): "\(name)(\(packet.parameters.map { hex32($0) }.joined(separator: ", ")))"
    }
  }
}

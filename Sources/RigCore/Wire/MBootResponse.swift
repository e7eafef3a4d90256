// SPDX-License-Identifier: Apache-2.0

/// A response packet from the flashloader (device to host).
public enum MBootResponse: Sendable, Equatable, CustomStringConvertible {
  /// Response tags.
  public enum Tag: UInt8, Sendable {
    case generic = 0xA0
    case readMemory = 0xA3
    case getProperty = 0xA7
    case flashReadOnce = 0xAF
    case flashReadResource = 0xB0
  }

  /// The status of the command with tag `command`.
  case generic(status: MBootStatus, command: UInt8)
  /// ReadMemory accepted: `count` bytes follow in a data phase (flags bit 0 set).
  case readMemory(status: MBootStatus, count: UInt32)
  /// A property's value words (none when the status is not success).
  case getProperty(status: MBootStatus, values: [UInt32])
  /// Any other response, kept as it came.
  case other(MBootPacket)

  /// The response's packet: what goes in the command frame.
  public var packet: MBootPacket {
    switch self {
    case .generic(let status, let command):
      MBootPacket(tag: Tag.generic.rawValue, parameters: [status.code, UInt32(command)])
    case .readMemory(let status, let count):
      MBootPacket(tag: Tag.readMemory.rawValue, dataPhase: true, parameters: [status.code, count])
    case .getProperty(let status, let values):
      MBootPacket(tag: Tag.getProperty.rawValue, parameters: [status.code] + values)
    case .other(let packet):
      packet
    }
  }

  /// The response a packet carries (the host side).
  public init(packet: MBootPacket) {
    let p = packet.parameters
    switch Tag(rawValue: packet.tag) {
    case .generic where p.count >= 2:
      self = .generic(status: MBootStatus(p[0]), command: UInt8(truncatingIfNeeded: p[1]))
    case .readMemory where p.count >= 2:
      self = .readMemory(status: MBootStatus(p[0]), count: p[1])
    case .getProperty where p.count >= 1:
      self = .getProperty(status: MBootStatus(p[0]), values: Array(p.dropFirst()))
    default:
      self = .other(packet)
    }
  }

  /// The status the response carries, when it has one.
  public var status: MBootStatus? {
    switch self {
    case .generic(let status, _), .readMemory(let status, _), .getProperty(let status, _): status
    case .other(let packet): packet.parameters.first.map(MBootStatus.init)
    }
  }

  public var description: String {
    switch self {
    case .generic(let status, let command):
      "GenericResponse(\(status), for \(MBootCommand.Tag(rawValue: command)?.name ?? "tag \(command)"))"
    case .readMemory(let status, let count): "ReadMemoryResponse(\(status), \(count) bytes)"
    case .getProperty(let status, let values):
      "GetPropertyResponse(\(status)\(values.map { ", " + hex32($0) }.joined()))"
    case .other(let packet): "response 0x\(String(packet.tag, radix: 16, uppercase: true))"
    }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// The payload of an MBoot command frame, in both directions: tag, flags (bit 0: a data phase
/// follows), a reserved byte, the parameter count, then up to 7 little-endian 32-bit parameters.
public struct MBootPacket: Sendable, Equatable {
  /// Most parameters a packet can carry.
  public static let maxParameters = 7

  public var tag: UInt8
  public var flags: UInt8
  public var parameters: [UInt32]

  /// A packet; `dataPhase` sets flag bit 0.
  public init(tag: UInt8, dataPhase: Bool = false, parameters: [UInt32]) {
    self.tag = tag
    self.flags = dataPhase ? 1 : 0
    self.parameters = parameters
  }

  /// Whether a data phase follows this packet.
  public var hasDataPhase: Bool { flags & 1 != 0 }

  /// The bytes that go in a command frame.
  public var bytes: [UInt8] {
    var out: [UInt8] = [tag, flags, 0, UInt8(parameters.count)]
    out.reserveCapacity(4 + 4 * parameters.count)
    for parameter in parameters { out += littleEndian(parameter) }
    return out
  }

  /// Decodes a command frame's payload; nil when it is too short for its parameter count or
  /// claims more than 7 parameters.
  public init?(bytes: [UInt8]) {
    guard bytes.count >= 4 else { return nil }
    let count = Int(bytes[3])
    guard count <= Self.maxParameters, bytes.count >= 4 + 4 * count else { return nil }
    tag = bytes[0]
    flags = bytes[1]
    parameters = (0..<count).map { readLittleEndian(bytes, at: 4 + 4 * $0) }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// One framed message of the emulator link: `E7 5A type flags seq length payload crc32`.
public struct EmulatorLinkMessage: Sendable, Equatable {
  public var type: UInt8
  public var seq: UInt16
  public var payload: [UInt8]

  /// A message as it goes on the wire.
  public init(type: UInt8, seq: UInt16, payload: [UInt8] = []) {
    self.type = type
    self.seq = seq
    self.payload = payload
  }

  /// A request or device message of a known type.
  public init(_ type: EmulatorLink.MessageType, seq: UInt16, payload: [UInt8] = []) {
    self.init(type: type.rawValue, seq: seq, payload: payload)
  }

  /// The bytes on the wire.
  public func encoded() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(EmulatorLink.headerBytes + payload.count + EmulatorLink.crcBytes)
    Self.append(type: type, seq: seq, parts: [payload[...]], to: &out)
    return out
  }

  /// Appends one message whose payload is the concatenation of `parts` (so a LOAD_DATA chunk
  /// goes out without first being copied into a payload array).
  public static func append(
    type: UInt8, seq: UInt16, parts: [ArraySlice<UInt8>], to out: inout [UInt8]
  ) {
    let length = parts.reduce(0) { $0 + $1.count }
    precondition(length <= Int(UInt16.max), "emulator link payload of \(length) bytes")
    let start = out.count
    out.append(EmulatorLink.magic0)
    out.append(EmulatorLink.magic1)
    out.append(type)
    out.append(0)
    out.append(UInt8(truncatingIfNeeded: seq))
    out.append(UInt8(truncatingIfNeeded: seq >> 8))
    out.append(UInt8(truncatingIfNeeded: length))
    out.append(UInt8(truncatingIfNeeded: length >> 8))
    for part in parts { out.append(contentsOf: part) }
    var crc = CRC32.Running()
    out.withUnsafeBytes { raw in
      crc.update(UnsafeRawBufferPointer(rebasing: raw[(start + 2)...]))
    }
    let value = crc.value
    for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> shift)) }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// One frame of the MBoot (MCU bootloader / flashloader) serial framing. Every frame starts with
/// 0x5A; command and data frames carry `len_lo len_hi crc_lo crc_hi` and a payload, with the
/// CRC-16/XMODEM of `5A type len_lo len_hi payload`.
public enum MBootFrame: Sendable, Equatable, CustomStringConvertible {
  /// The byte every frame starts with.
  public static let start: UInt8 = 0x5A

  /// The type byte after 0x5A.
  public enum FrameType: UInt8, Sendable {
    case ack = 0xA1
    case nak = 0xA2
    case ackAbort = 0xA3
    case command = 0xA4
    case data = 0xA5
    case ping = 0xA6
    case pingResponse = 0xA7
  }

  /// `5A A1`: the receiver took the frame.
  case ack
  /// `5A A2`: the receiver saw a bad CRC; the sender sends the same frame again.
  case nak
  /// `5A A3`: the device aborts a host-to-device data phase (the final response says why).
  case ackAbort
  /// `5A A6`: is anyone there (also the autobaud pattern).
  case ping
  /// A command or response packet.
  case command([UInt8])
  /// A data-phase chunk; an empty one from the device aborts the data phase.
  case data([UInt8])
  /// The answer to a ping: the protocol version (`bugfix, minor, major, 'P'`) and options.
  case pingResponse(version: UInt32, options: UInt16)

  /// MCUBoot's serial protocol version, 'P' 1.2.0.
  public static let protocolVersion: UInt32 = 0x5001_0200

  public var type: FrameType {
    switch self {
    case .ack: .ack
    case .nak: .nak
    case .ackAbort: .ackAbort
    case .ping: .ping
    case .command: .command
    case .data: .data
    case .pingResponse: .pingResponse
    }
  }

  /// The frame on the wire, CRC included.
  public var bytes: [UInt8] {
    switch self {
    case .ack, .nak, .ackAbort, .ping:
      return [Self.start, type.rawValue]
    case .command(let payload), .data(let payload):
      var out: [UInt8] = [Self.start, type.rawValue, UInt8(payload.count & 0xFF), UInt8(payload.count >> 8)]
      let crc = CRC16.xmodem(payload, seed: CRC16.xmodem(out))
      out.reserveCapacity(6 + payload.count)
      out += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
      out += payload
      return out
    case .pingResponse(let version, let options):
      var out: [UInt8] = [Self.start, type.rawValue]
      out += littleEndian(version)
      out += [UInt8(options & 0xFF), UInt8(options >> 8)]
      let crc = CRC16.xmodem(out)
      out += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
      return out
    }
  }

  /// Largest payload a frame's 16-bit length can carry.
  public static let maxPayload = 0xFFFF

  public var description: String {
    switch self {
    case .ack: "ACK"
    case .nak: "NAK"
    case .ackAbort: "ACK-ABORT"
    case .ping: "PING"
    case .command(let payload): "CMD(\(payload.count) bytes)"
    case .data(let payload): "DATA(\(payload.count) bytes)"
    case .pingResponse(let version, _): "PING-RESPONSE(\(hex32(version)))"
    }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Byte strings from docs/flashing-protocols.md §5 (observed with NXP's host tools), written
/// out by hand so the codecs are checked against the document, not against themselves.
enum FlashCodecSamples {
  static func bytes(_ hex: String) -> [UInt8] {
    hex.split(separator: " ").map { UInt8($0, radix: 16)! }
  }

  /// `blhost get-property 1`, host to device: ping.
  static let ping = bytes("5A A6")
  /// Ping response: protocol P1.2.0, options 0, CRC 0xEAAA.
  static let pingResponse = bytes("5A A7 00 02 01 50 00 00 AA EA")
  /// GetProperty(tag 1, index 0): CMD frame, length 12, CRC 0x334B.
  static let getPropertyCommand = bytes("5A A4 0C 00 4B 33 07 00 00 02 01 00 00 00 00 00 00 00")
  /// GetPropertyResponse: status 0, value 0x4B010500 ("K1.5.0").
  static let getPropertyResponse = bytes("5A A4 0C 00 F7 91 A7 00 00 02 00 00 00 00 00 05 01 4B")
  static let ack = bytes("5A A1")
  /// ConfigureMemory(9, 0x2000) packet as observed.
  static let configureMemoryPacket = bytes("11 00 00 02 09 00 00 00 00 20 00 00")
  /// SDP ERROR_STATUS command.
  static let errorStatus = bytes("05 05 00 00 00 00 00 00 00 00 00 00 00 00 00 00")
}

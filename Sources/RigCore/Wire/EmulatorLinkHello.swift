// SPDX-License-Identifier: Apache-2.0

/// The emulator's answer to HELLO: what it is and what it can hold.
public struct EmulatorLinkHello: Sendable, Equatable {
  public var version: UInt8
  /// 0 Mini 2MP, 1 Mini 2MP Plus, 2 Mini 5MP Plus.
  public var variant: UInt8
  /// Bit 0 gray8, bit 1 rgb565be, bit 2 jpeg, bit 3 raw.
  public var formats: UInt8
  public var slots: Int
  public var queueDepth: Int
  /// Requests the host may have unanswered at once.
  public var window: Int
  /// Largest payload the emulator accepts.
  public var maxPayload: Int
  /// Frame RAM, bytes.
  public var ram: Int
  /// Largest frame it takes, bytes.
  public var maxFrame: Int
  public var name: String

  /// Decodes a HELLO reply payload.
  public init(payload: [UInt8]) {
    let f = EmulatorLinkFields(payload)
    version = f.u8(0)
    variant = f.u8(1)
    formats = f.u8(2)
    slots = Int(f.u8(3))
    queueDepth = Int(f.u8(4))
    window = Int(f.u8(5))
    maxPayload = Int(f.u16(6))
    ram = Int(f.u32(8))
    maxFrame = Int(f.u32(12))
    name = f.text(from: 16, limit: 32)
  }

  /// Whether the emulator serves frames of `format`.
  public func supports(_ format: PixelFormat) -> Bool {
    formats & (1 << EmulatorLink.formatCode(format)) != 0
  }

  /// The module it emulates, for messages.
  public var variantName: String {
    switch variant {
    case 0: "Mini 2MP"
    case 1: "Mini 2MP Plus"
    case 2: "Mini 5MP Plus"
    default: "variant \(variant)"
    }
  }
}

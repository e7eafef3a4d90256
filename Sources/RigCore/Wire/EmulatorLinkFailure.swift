// SPDX-License-Identifier: Apache-2.0

/// An ERROR the emulator sent for a request: a code, the request's type and a text.
public struct EmulatorLinkFailure: Sendable, Equatable, CustomStringConvertible {
  /// The protocol's error codes (`docs/emulator-protocol.md` §4).
  public enum Code: UInt16, Sendable, CaseIterable {
    case unknownType = 1
    case badLength = 2
    case badSlot = 3
    case slotBusy = 4
    case noRAM = 5
    case queueFull = 6
    case range = 7
    case crcMismatch = 8
    case state = 9
    case noSlot = 10
    case badValue = 11
    case unsupported = 12
    case tooLarge = 13

    /// The name in the specification: `no_ram`.
    public var name: String {
      switch self {
      case .unknownType: "unknown_type"
      case .badLength: "bad_length"
      case .badSlot: "bad_slot"
      case .slotBusy: "slot_busy"
      case .noRAM: "no_ram"
      case .queueFull: "queue_full"
      case .range: "range"
      case .crcMismatch: "crc_mismatch"
      case .state: "state"
      case .noSlot: "no_slot"
      case .badValue: "bad_value"
      case .unsupported: "unsupported"
      case .tooLarge: "too_large"
      }
    }
  }

  /// The raw code; `code` is nil for one this host does not know.
  public var rawCode: UInt16
  public var requestType: UInt8
  public var text: String

  /// A failure as received.
  public init(rawCode: UInt16, requestType: UInt8, text: String) {
    self.rawCode = rawCode
    self.requestType = requestType
    self.text = text
  }

  public var code: Code? { Code(rawValue: rawCode) }

  /// `no_ram (no free stretch of frame RAM that large)`.
  public var description: String {
    "\(code?.name ?? "error \(rawCode)") (\(text))"
  }
}

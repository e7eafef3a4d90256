// SPDX-License-Identifier: Apache-2.0

/// A message from the emulator, classified.
public enum EmulatorLinkDeviceMessage: Sendable, Equatable {
  /// A successful reply to the request `seq` of type `request`.
  case reply(seq: UInt16, request: EmulatorLink.MessageType, payload: [UInt8])
  /// An ERROR for the request `seq`.
  case failure(seq: UInt16, EmulatorLinkFailure)
  case event(EmulatorLinkEvent)
  /// Something the emulator dropped without a request to answer.
  case notice(code: UInt16, text: String)
  /// A type no device sends (a host request echoed, or a newer protocol's message): ignored.
  case unexpected(type: UInt8, seq: UInt16)

  /// Classifies an intact message.
  public init(_ message: EmulatorLinkMessage) {
    let f = EmulatorLinkFields(message.payload)
    switch message.type {
    case EmulatorLink.MessageType.event.rawValue:
      self = .event(EmulatorLinkEvent(payload: message.payload, eventNumber: message.seq))
    case EmulatorLink.MessageType.notice.rawValue:
      self = .notice(code: f.u16(0), text: f.text(from: 2))
    case EmulatorLink.MessageType.error.rawValue:
      self = .failure(
        seq: message.seq,
        EmulatorLinkFailure(rawCode: f.u16(0), requestType: f.u8(2), text: f.text(from: 4)))
    default:
      if message.type & 0x80 != 0,
        let request = EmulatorLink.MessageType(rawValue: message.type & 0x7F),
        request.rawValue < EmulatorLink.MessageType.event.rawValue
      {
        self = .reply(seq: message.seq, request: request, payload: message.payload)
      } else {
        self = .unexpected(type: message.type, seq: message.seq)
      }
    }
  }
}

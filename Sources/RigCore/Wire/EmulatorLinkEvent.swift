// SPDX-License-Identifier: Apache-2.0

/// An EVENT: what the emulator saw the DUT do, stamped with the emulator's microsecond clock.
public struct EmulatorLinkEvent: Sendable, Equatable {
  public enum Kind: UInt8, Sendable {
    case captureStart = 1
    case captureDone = 2
    case readDone = 3
  }

  /// The kind; nil for one this host does not know (ignored).
  public var kind: Kind?
  /// Faults applied to the latched frame.
  public var faults: [EmulatorFaultKind]
  /// Read done: the DUT abandoned the read before the frame's end.
  public var partial: Bool
  /// The emulator dropped events before this one (its transmit buffer was full).
  public var lostBefore: Bool
  /// Capture sequence since RESET, 1 for the first.
  public var sequence: UInt32
  /// The frame's tag: the host's index of the frame in the clip.
  public var tag: UInt32
  public var length: Int
  /// What the length registers report (differs from `length` under a length fault).
  public var reportedLength: Int
  public var bytesRead: Int
  /// CRC-32 of the bytes clocked out to the DUT (read done).
  public var crc32: UInt32
  public var micros: UInt64
  /// The device's event counter (the message's seq).
  public var eventNumber: UInt16

  /// Decodes an EVENT payload.
  public init(payload: [UInt8], eventNumber: UInt16) {
    let f = EmulatorLinkFields(payload)
    kind = Kind(rawValue: f.u8(0))
    faults = EmulatorFaultKind.kinds(inMask: f.u8(1))
    partial = f.u8(2) & 0x01 != 0
    lostBefore = f.u8(2) & 0x02 != 0
    sequence = f.u32(4)
    tag = f.u32(8)
    length = Int(f.u32(12))
    reportedLength = Int(f.u32(16))
    bytesRead = Int(f.u32(20))
    crc32 = f.u32(24)
    micros = f.u64(28)
    self.eventNumber = eventNumber
  }

  /// The event as the capability protocol reports it, nil for an unknown kind.
  public var emulatorEvent: EmulatorEvent? {
    switch kind {
    case .captureStart: .captureStarted(sequence: sequence, micros: micros)
    case .captureDone:
      .captureDone(sequence: sequence, frameIndex: Int(tag), length: length, micros: micros)
    case .readDone:
      .readDone(
        sequence: sequence, frameIndex: Int(tag), bytesRead: bytesRead, crc32: crc32,
        micros: micros)
    case nil: nil
    }
  }
}

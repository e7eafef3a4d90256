// SPDX-License-Identifier: Apache-2.0

/// A host → emulator request of the link protocol (`docs/emulator-protocol.md` §3).
public enum EmulatorLinkRequest: Sendable, Equatable {
  case hello(maxPayload: UInt16)
  case reset
  case config(EmulatorLinkConfig)
  case mode(PlaybackMode)
  /// Starts loading `length` bytes with CRC `crc` into `slot` (`EmulatorLink.streamSlot`: any
  /// free slot, freed once served). `tag` comes back in the frame's events.
  case loadBegin(
    slot: UInt8, format: PixelFormat, width: Int, height: Int, length: UInt32, crc: UInt32,
    tag: UInt32)
  case loadData(slot: UInt8, offset: UInt32, data: ArraySlice<UInt8>)
  case loadEnd(slot: UInt8, queue: Bool)
  case free(slot: UInt8)
  case queue(slots: [UInt8])
  case queueClear
  case status
  case events(on: Bool)
  /// Arms a fault; `tag` aims a frame fault at one frame (`EmulatorLink.anyTag`: the next).
  case fault(kind: EmulatorFaultKind, mode: EmulatorFaultMode, parameter: UInt32, tag: UInt32)
  case sync

  public var type: EmulatorLink.MessageType {
    switch self {
    case .hello: .hello
    case .reset: .reset
    case .config: .config
    case .mode: .mode
    case .loadBegin: .loadBegin
    case .loadData: .loadData
    case .loadEnd: .loadEnd
    case .free: .free
    case .queue: .queue
    case .queueClear: .queueClear
    case .status: .status
    case .events: .events
    case .fault: .fault
    case .sync: .sync
    }
  }

  /// Appends the framed request with sequence number `seq`.
  public func append(seq: UInt16, to out: inout [UInt8]) {
    var fields: [UInt8] = []
    var data: ArraySlice<UInt8> = []
    switch self {
    case .hello(let maxPayload):
      fields = [EmulatorLink.version, EmulatorLink.version]
      fields.appendLinkField(maxPayload)
    case .reset, .queueClear, .status, .sync:
      break
    case .config(let c):
      fields = [EmulatorLink.formatCode(c.format), c.version, c.fill, c.burstDummy ? 1 : 0]
      fields.appendLinkField(UInt16(clamping: c.width))
      fields.appendLinkField(UInt16(clamping: c.height))
      fields.appendLinkField(c.captureDelayMicros)
      fields.appendLinkField(c.maxFIFO)
    case .mode(let mode):
      fields = [EmulatorLink.modeCode(mode)]
    case .loadBegin(let slot, let format, let width, let height, let length, let crc, let tag):
      fields = [slot, EmulatorLink.formatCode(format)]
      fields.appendLinkField(UInt16(clamping: width))
      fields.appendLinkField(UInt16(clamping: height))
      fields.appendLinkField(length)
      fields.appendLinkField(crc)
      fields.appendLinkField(tag)
    case .loadData(let slot, let offset, let bytes):
      fields = [slot]
      fields.appendLinkField(offset)
      data = bytes
    case .loadEnd(let slot, let queue):
      fields = [slot, queue ? 1 : 0]
    case .free(let slot):
      fields = [slot]
    case .queue(let slots):
      fields = [UInt8(clamping: slots.count)] + slots.prefix(255)
    case .events(let on):
      fields = [on ? 1 : 0]
    case .fault(let kind, let mode, let parameter, let tag):
      fields = [kind.code, mode.code, 0, 0]
      fields.appendLinkField(parameter)
      fields.appendLinkField(tag)
    }
    EmulatorLinkMessage.append(type: type.rawValue, seq: seq, parts: [fields[...], data], to: &out)
  }

  /// The framed request as bytes.
  public func encoded(seq: UInt16) -> [UInt8] {
    var out: [UInt8] = []
    append(seq: seq, to: &out)
    return out
  }
}

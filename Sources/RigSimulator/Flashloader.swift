// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The flashloader the ROM started from RAM: MCUBoot's serial protocol (framing, ACK/NAK,
/// CRC-16/XMODEM, command and data phases) in front of the FlexSPI NOR, as blhost expects it
/// (docs/flashing-protocols.md §4).
///
/// The NOR must be configured (ConfigureMemory with a FlexSPI NOR option word placed in RAM)
/// before flash can be erased, written or read; writes to unerased flash are refused with
/// `MemoryCumulativeWrite`. Faults from the rig file hit the frames they aim at.
final class Flashloader {
  enum Exit {
    /// The host sent Reset: the chip resets and the ROM samples the boot pins again.
    case reset
  }

  static let version: UInt32 = 0x4B02_0800
  /// How long the flashloader waits for the host's ACK to a frame it sent (board microseconds).
  static let ackTimeout: UInt64 = 1_000_000
  /// How long it waits for the next data frame of a data phase.
  static let dataTimeout: UInt64 = 2_000_000
  /// A frame is resent at most this often after NAKs.
  static let maxResends = 8
  /// The FlexSPI NOR memory ID; 0 (memory-mapped) is accepted for the same window.
  static let flexSPINOR: UInt32 = 9
  /// Commands this flashloader answers, for the AvailableCommands property.
  static let commands: [MBootCommand.Tag] = [
    .flashEraseAll, .flashEraseRegion, .readMemory, .writeMemory, .fillMemory, .getProperty,
    .execute, .reset, .setProperty, .configureMemory,
  ]

  private let line: ROMLine
  private let memory: ROMMemory
  private let flash: FlashArray
  private let settings: SimulatedFlashSettings
  private let faults: ROMFaultState
  private var decoder: MBootFrameDecoder
  private var queued: [MBootFrameDecoder.Event] = []
  private var configured = false
  /// The command being served and how many of its frames have passed, for aimed faults.
  private var current = ""
  private var hostFrames = 0
  private var deviceFrames = 0

  init(line: ROMLine, memory: ROMMemory, flash: FlashArray, settings: SimulatedFlashSettings, faults: ROMFaultState) {
    self.line = line
    self.memory = memory
    self.flash = flash
    self.settings = settings
    self.faults = faults
    decoder = MBootFrameDecoder(maxPayload: max(settings.maxPacketSize, 64) + 64)
  }

  /// Serves the host until it resets the chip; throws when the supply goes off.
  func run() throws(ROMLine.PoweredOff) -> Exit {
    while true {
      guard let event = try nextEvent(until: nil) else { continue }
      switch event {
      case .badCRC:
        try line.transmit(MBootFrame.nak.bytes)
      case .frame(.ping):
        begin("ping")
        if faults.fire(.noAnswer, command: "ping") != nil { try line.silence() }
        try line.transmit(
          corrupt(MBootFrame.pingResponse(version: MBootFrame.protocolVersion, options: 0).bytes))
      case .frame(.command(let payload)):
        guard let packet = MBootPacket(bytes: payload) else {
          try line.transmit(MBootFrame.ack.bytes)
          try respond(.generic(status: .invalidArgument, command: payload.first ?? 0))
          continue
        }
        let command = MBootCommand(packet: packet)
        begin(command.faultName)
        if faults.fire(.noAnswer, command: current) != nil { try line.silence() }
        if try nakIfDue() { continue }
        try line.transmit(MBootFrame.ack.bytes)
        if try serve(command) == .reset { return .reset }
      default:
        // Stray ACKs, NAKs or data outside a data phase: nothing to answer.
        continue
      }
    }
  }

  // MARK: - Commands

  private enum Outcome {
    case done
    case reset
  }

  private func serve(_ command: MBootCommand) throws(ROMLine.PoweredOff) -> Outcome {
    switch command {
    case .getProperty(let property, let memoryID):
      let (status, values) = self.property(property, memoryID: memoryID)
      try respond(.getProperty(status: status, values: values))
    case .setProperty(let property, _):
      let status: MBootStatus = property == .verifyWrites ? .success : .readOnlyProperty
      try respond(.generic(status: status, command: command.tag))
    case .fillMemory(let address, let count, let pattern):
      try respond(.generic(status: fill(address, Int(count), pattern), command: command.tag))
    case .configureMemory(let memoryID, let address):
      try respond(.generic(status: configure(memoryID, address), command: command.tag))
    case .flashEraseRegion(let address, let count, let memoryID):
      let status = try erase(address, Int(count), memoryID: memoryID)
      try respond(.generic(status: status, command: command.tag))
    case .flashEraseAll(let memoryID):
      let status = try erase(RT1062MemoryMap.flexSPIBase, flash.size, memoryID: memoryID)
      try respond(.generic(status: status, command: command.tag))
    case .writeMemory(let address, let count, let memoryID):
      try receive(address, Int(count), memoryID: memoryID, tag: command.tag)
    case .readMemory(let address, let count, let memoryID):
      try send(address, Int(count), memoryID: memoryID, tag: command.tag)
    case .reset:
      try respond(.generic(status: .success, command: command.tag))
      return .reset
    case .execute:
      // The host handed the chip to other code: nothing here answers any more.
      try respond(.generic(status: .success, command: command.tag))
      try line.silence()
    case .other(let packet):
      let status: MBootStatus =
        packet.tag == MBootCommand.Tag.getProperty.rawValue ? .unknownProperty : .unknownCommand
      try respond(.generic(status: status, command: packet.tag))
    }
    return .done
  }

  private func property(_ property: MBootProperty, memoryID: UInt32) -> (MBootStatus, [UInt32]) {
    let base = RT1062MemoryMap.flexSPIBase
    switch property {
    case .currentVersion: return (.success, [Self.version])
    case .availablePeripherals: return (.success, [0x11])  // UART and USB-HID
    case .flashStartAddress: return (.success, [base])
    case .flashSize: return (.success, [UInt32(flash.size)])
    case .flashSectorSize: return (.success, [UInt32(flash.sectorSize)])
    case .flashBlockCount: return (.success, [1])
    case .availableCommands:
      return (.success, [Self.commands.reduce(0) { $0 | 1 << UInt32($1.rawValue - 1) }])
    case .verifyWrites: return (.success, [1])
    case .maxPacketSize: return (.success, [UInt32(settings.maxPacketSize)])
    case .reservedRegions:
      // The flashloader's own RAM (where the ROM loaded it).
      let load = RT1062MemoryMap.flashloaderLoadAddress
      return (.success, [0, 0, load, load + UInt32(ROMImages.flashloaderSize) - 1])
    case .ramStartAddress: return (.success, [0x2000_0000])
    case .ramSize: return (.success, [0x0008_0000])
    case .systemDeviceIdent: return (.success, [0x0106_2000])
    case .flashSecurityState: return (.success, [0])
    case .uniqueDeviceIdent: return (.success, [0x5249_4753, 0x494D_0001])
    case .externalMemoryAttributes:
      guard memoryID == Self.flexSPINOR else { return (.invalidArgument, []) }
      guard configured else { return (.memoryNotConfigured, []) }
      return (
        .success,
        [
          0x1F, base, UInt32(flash.size / 1024), UInt32(RT1062MemoryMap.pageSize),
          UInt32(flash.sectorSize), UInt32(RT1062MemoryMap.blockSize),
        ]
      )
    }
  }

  private func fill(_ address: UInt32, _ count: Int, _ pattern: UInt32) -> MBootStatus {
    guard ROMMemory.isRAM(address, count) else { return .memoryRangeInvalid }
    let word = littleEndianBytes(pattern)
    memory.write(address, (0..<count).map { word[$0 % 4] })
    return .success
  }

  /// ConfigureMemory: FlexSPI NOR option word 0 tagged 0xC configures the NOR (SFDP in a real
  /// flashloader); 0xF000000F programs an FCB for the current configuration at the start of flash.
  private func configure(_ memoryID: UInt32, _ address: UInt32) -> MBootStatus {
    guard memoryID == Self.flexSPINOR else { return .invalidArgument }
    guard ROMMemory.isRAM(address, 4) else { return .memoryRangeInvalid }
    let option = memory.word(address)
    if option == 0xF000_000F {
      guard configured else { return .memoryNotConfigured }
      var fcb = RT1062MemoryMap.fcbTag + [0x00, 0x04, 0x01, 0x56]
      fcb += [UInt8](repeating: 0, count: 512 - fcb.count)
      do {
        try flash.program(offset: 0, fcb)
      } catch {
        return .memoryCumulativeWrite
      }
      return .success
    }
    guard option >> 28 == 0xC else { return .invalidArgument }
    configured = true
    return .success
  }

  /// Where a flash access goes: the offset into the NOR, or the status refusing it.
  private func flashOffset(_ address: UInt32, _ count: Int, memoryID: UInt32) -> Result<Int, StatusError> {
    guard memoryID == 0 || memoryID == Self.flexSPINOR else { return .failure(StatusError(.invalidArgument)) }
    let range = RT1062MemoryMap.flashRange(size: flash.size)
    guard range.contains(UInt64(address)), UInt64(address) + UInt64(count) <= range.upperBound else {
      return .failure(StatusError(.memoryRangeInvalid))
    }
    guard configured else { return .failure(StatusError(.memoryNotConfigured)) }
    return .success(Int(address - RT1062MemoryMap.flexSPIBase))
  }

  private struct StatusError: Error {
    var status: MBootStatus
    init(_ status: MBootStatus) { self.status = status }
  }

  private func erase(_ address: UInt32, _ count: Int, memoryID: UInt32) throws(ROMLine.PoweredOff) -> MBootStatus {
    let offset: Int
    switch flashOffset(address, count, memoryID: memoryID) {
    case .success(let value): offset = value
    case .failure(let error): return error.status
    }
    if let fault = faults.fire(.eraseFailed, command: current) {
      return MBootStatus(fault.status ?? MBootStatus.flexSPINOREraseSectorFail.code)
    }
    do {
      try flash.erase(offset: offset, count: count)
    } catch {
      return error == .alignment ? .memoryAlignmentError : .memoryRangeInvalid
    }
    let sectors = count / flash.sectorSize
    try line.pause(UInt64(max(0, settings.sectorEraseTime.microseconds)) * UInt64(sectors))
    return .success
  }

  // MARK: - Data phases

  /// WriteMemory: go-ahead, data frames ACKed one by one (ACK-ABORT on failure), final status.
  private func receive(_ address: UInt32, _ count: Int, memoryID: UInt32, tag: UInt8) throws(ROMLine.PoweredOff) {
    let toRAM = ROMMemory.isRAM(address, count)
    var offset = 0
    if !toRAM {
      switch flashOffset(address, count, memoryID: memoryID) {
      case .success(let value): offset = value
      case .failure(let error):
        try respond(.generic(status: error.status, command: tag))
        return
      }
    }
    try respond(.generic(status: .success, command: tag))
    var received = 0
    var failure: MBootStatus?
    var corrupted = false
    while received < count {
      guard let event = try nextEvent(until: line.now + Self.dataTimeout) else {
        // The host gave up mid-phase.
        return
      }
      guard case .frame(.data(let chunk)) = event else {
        if case .badCRC = event { try line.transmit(MBootFrame.nak.bytes) }
        continue
      }
      if try nakIfDue() { continue }
      var data = Array(chunk.prefix(count - received))
      if toRAM {
        memory.write(address &+ UInt32(received), data)
      } else if let fault = faults.fire(.writeFailed, command: current) {
        failure = MBootStatus(fault.status ?? MBootStatus.flexSPINORProgramFail.code)
      } else {
        if !corrupted, faults.fire(.verifyMismatch, command: current) != nil,
          let i = data.firstIndex(where: { $0 != 0 })
        {
          // A bit that does not stick: the lowest set bit of the first non-zero byte stays 0.
          data[i] &= data[i] - 1
          corrupted = true
        }
        do {
          try flash.program(offset: offset + received, data)
        } catch {
          failure = error == .range ? .memoryRangeInvalid : .memoryCumulativeWrite
        }
      }
      if let failure {
        try line.transmit(MBootFrame.ackAbort.bytes)
        try respond(.generic(status: failure, command: tag))
        return
      }
      try line.transmit(MBootFrame.ack.bytes)
      received += data.count
    }
    try respond(.generic(status: .success, command: tag))
  }

  /// ReadMemory: response with the byte count, data frames each waiting for the host's ACK,
  /// final status.
  private func send(_ address: UInt32, _ count: Int, memoryID: UInt32, tag: UInt8) throws(ROMLine.PoweredOff) {
    let fromRAM = ROMMemory.isRAM(address, count)
    var offset = 0
    if !fromRAM {
      switch flashOffset(address, count, memoryID: memoryID) {
      case .success(let value): offset = value
      case .failure(let error):
        try respond(.readMemory(status: error.status, count: 0))
        return
      }
    }
    guard try respond(.readMemory(status: .success, count: UInt32(count))) else { return }
    var sent = 0
    while sent < count {
      let n = min(settings.maxPacketSize, count - sent)
      let chunk = fromRAM
        ? memory.read(address &+ UInt32(sent), n) : flash.read(offset: offset + sent, count: n)
      guard try sendFrame(.data(chunk)) else { return }
      sent += n
    }
    try respond(.generic(status: .success, command: tag))
  }

  // MARK: - Frames

  private func begin(_ command: String) {
    current = command
    hostFrames = 0
    deviceFrames = 0
  }

  /// Sends a response packet and waits for the host's ACK; false if it never came.
  @discardableResult
  private func respond(_ response: MBootResponse) throws(ROMLine.PoweredOff) -> Bool {
    try sendFrame(.command(response.packet.bytes))
  }

  /// Sends a frame, resending it on NAK, until the host ACKs; false if it never did.
  private func sendFrame(_ frame: MBootFrame) throws(ROMLine.PoweredOff) -> Bool {
    let index = deviceFrames
    deviceFrames += 1
    let clean = frame.bytes
    var bytes = corrupt(clean, frame: index)
    for _ in 0...Self.maxResends {
      try line.transmit(bytes)
      switch try awaitAcknowledgement() {
      case .ack: return true
      case .nak:
        bytes = corrupt(clean, frame: index)
      case nil: return false
      }
    }
    return false
  }

  private enum Acknowledgement { case ack, nak }

  private func awaitAcknowledgement() throws(ROMLine.PoweredOff) -> Acknowledgement? {
    let deadline = line.now + Self.ackTimeout
    while let event = try nextEvent(until: deadline) {
      switch event {
      case .frame(.ack): return .ack
      case .frame(.nak): return .nak
      default: continue
      }
    }
    return nil
  }

  /// `bytes` with a damaged CRC if a `crc_error` fault is due for this device frame.
  private func corrupt(_ bytes: [UInt8], frame: Int = 0) -> [UInt8] {
    guard bytes.count >= 6, faults.fire(.crcError, command: current, frame: frame) != nil else { return bytes }
    var damaged = bytes
    // The CRC field of a command or data frame; the last byte of a ping response.
    damaged[bytes[1] == MBootFrame.FrameType.pingResponse.rawValue ? bytes.count - 1 : 4] ^= 0x5A
    return damaged
  }

  /// Answers NAK instead of ACK if a `nak` fault is due for this host frame; true if it did.
  private func nakIfDue() throws(ROMLine.PoweredOff) -> Bool {
    let index = hostFrames
    if faults.fire(.nak, command: current, frame: index) != nil {
      try line.transmit(MBootFrame.nak.bytes)
      return true
    }
    hostFrames += 1
    return false
  }

  private func nextEvent(until deadline: UInt64?) throws(ROMLine.PoweredOff) -> MBootFrameDecoder.Event? {
    while queued.isEmpty {
      // A frame's bytes come back to back; a long gap mid-frame means the rest was lost.
      let wait = decoder.isMidFrame ? min(deadline ?? .max, line.now + 100_000) : deadline
      guard let bytes = try line.available(until: wait) else {
        if decoder.isMidFrame {
          decoder.reset()
          continue
        }
        return nil
      }
      decoder.decode(bytes) { queued.append($0) }
    }
    return queued.removeFirst()
  }
}

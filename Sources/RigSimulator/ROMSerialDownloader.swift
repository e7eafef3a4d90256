// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The RT1062 boot ROM's serial downloader on LPUART1: unframed 16-byte SDP commands, answered
/// with the HAB mode word and a completion or status word (docs/flashing-protocols.md §3).
///
/// It loads bytes into RAM, reads them back, and on JUMP_ADDRESS starts the image whose IVT is
/// at that address; the simulated flashloader is the one image it can really run.
struct ROMSerialDownloader {
  enum Exit {
    /// JUMP_ADDRESS started the flashloader.
    case flashloader
  }

  /// A command's bytes must follow each other within this (board microseconds), or the partial
  /// command is dropped and the next byte starts a new one.
  static let byteGap: UInt64 = 200_000
  /// HAB failure words (status 0x33 and a reason) sent when a jump fails.
  static let invalidIVT: UInt32 = 0x3305_0000
  static let invalidSignature: UInt32 = 0x3318_0000
  static let invalidAddress: UInt32 = 0x3322_0000
  static let unsupportedCommand: UInt32 = 0x3303_0000

  let line: ROMLine
  let memory: ROMMemory
  let settings: SimulatedFlashSettings
  let faults: ROMFaultState
  private var status = SDPResponse.habSuccess

  init(line: ROMLine, memory: ROMMemory, settings: SimulatedFlashSettings, faults: ROMFaultState) {
    self.line = line
    self.memory = memory
    self.settings = settings
    self.faults = faults
  }

  private var habWord: UInt32 { settings.habClosed ? SDPResponse.habClosed : SDPResponse.habOpen }

  /// Serves commands until the flashloader starts; throws when the supply goes off.
  mutating func run() throws(ROMLine.PoweredOff) -> Exit {
    while true {
      guard let first = try line.byte(until: nil) else { continue }
      guard let rest = try line.bytes(SDPCommand.size - 1, gap: Self.byteGap) else { continue }
      guard let command = SDPCommand(bytes: [first] + rest) else {
        // Not a command: resynchronise on the next burst, as the ROM's receive timeout does.
        try line.discardInput()
        continue
      }
      if faults.fire(.noAnswer, command: Self.name(command.kind)) != nil { try line.silence() }
      if try serve(command) { return .flashloader }
    }
  }

  /// Answers one command; true when it started the flashloader.
  private mutating func serve(_ command: SDPCommand) throws(ROMLine.PoweredOff) -> Bool {
    let hab = SDPResponse.bytes(habWord)
    switch command.kind {
    case .errorStatus:
      try line.transmit(hab + SDPResponse.bytes(status))
    case .writeFile, .dcdWrite, .writeCSF:
      let count = Int(command.count)
      guard let data = try line.bytes(count, gap: Self.byteGap) else { return false }
      guard ROMMemory.isRAM(command.address, count) else {
        status = Self.invalidAddress
        try line.transmit(hab + SDPResponse.bytes(status))
        return false
      }
      // DCD and CSF are parsed by the real ROM; here they are only kept, which is what an
      // unauthenticated (HAB open) boot does with a CSF anyway.
      memory.write(command.address, data)
      let done = command.kind == .writeFile ? SDPResponse.fileComplete : SDPResponse.writeComplete
      try line.transmit(hab + SDPResponse.bytes(done))
    case .readRegister:
      try line.transmit(hab + memory.read(command.address, Int(min(command.count, 1 << 20))))
    case .writeRegister:
      let width = max(1, Int(command.format) / 8)
      memory.write(command.address, Array(littleEndianBytes(command.data).prefix(width)))
      try line.transmit(hab + SDPResponse.bytes(SDPResponse.writeComplete))
    case .skipDCDHeader:
      try line.transmit(hab + SDPResponse.bytes(SDPResponse.skipDCDOK))
    case .setBaudrate:
      // Not supported by the RT106x ROM.
      try line.transmit(hab + SDPResponse.bytes(Self.unsupportedCommand))
    case .jumpAddress:
      try line.transmit(hab)
      switch jumpTarget(command.address) {
      case .flashloader:
        return true
      case .unknownImage:
        // Code the simulator cannot run: the board is busy with it until power is cycled.
        try line.silence()
      case .refused(let word):
        status = word
        try line.transmit(SDPResponse.bytes(word))
      }
    }
    return false
  }

  private enum JumpTarget {
    case flashloader
    case unknownImage
    case refused(UInt32)
  }

  /// What the ROM finds at an IVT address in RAM.
  private func jumpTarget(_ address: UInt32) -> JumpTarget {
    guard ROMMemory.isRAM(address, ImageVectorTable.size),
      let ivt = ImageVectorTable(bytes: memory.read(address, ImageVectorTable.size)),
      ivt.selfAddress == address,
      let boot = BootData(bytes: memory.read(ivt.bootData, BootData.size)),
      ROMMemory.isRAM(boot.start, Int(boot.length))
    else {
      return .refused(Self.invalidIVT)
    }
    if settings.habClosed { return .refused(Self.invalidSignature) }
    let image = memory.read(boot.start, Int(boot.length))
    return ROMImages.isFlashloader(image) ? .flashloader : .unknownImage
  }

  /// The name a rig file's fault uses for an SDP command.
  static func name(_ kind: SDPCommand.Kind) -> String {
    switch kind {
    case .errorStatus: "error_status"
    case .writeFile: "write_file"
    case .jumpAddress: "jump_address"
    case .readRegister: "read_register"
    case .writeRegister: "write_register"
    case .writeCSF: "write_csf"
    case .dcdWrite: "dcd_write"
    case .skipDCDHeader: "skip_dcd_header"
    case .setBaudrate: "set_baudrate"
    }
  }
}

func littleEndianBytes(_ value: UInt32) -> [UInt8] {
  [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
}

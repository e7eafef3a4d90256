// SPDX-License-Identifier: Apache-2.0
import RigCore

/// What the boot ROM does after power on or reset: sample BOOT_MODE; with internal boot, start
/// the image in FlexSPI NOR if it has a valid FCB and IVT; otherwise (serial downloader selected,
/// or nothing bootable in flash) serve SDP on the UART, and run the flashloader it is given.
enum ROMBootSequence {
  /// Runs the ROM until an image in flash starts; false when the supply went off first. The
  /// started image's hash (over its boot data's extent) is what the firmware will report.
  static func run(board: VirtualBoard, epoch: UInt64) -> Bool {
    let rom = board.rom
    while true {
      let pins = board.locked { board.bootModePins }
      if pins == .internal, let hash = bootableImageHash(rom.flash) {
        board.locked { board.imageHash = hash }
        return true
      }
      board.locked { board.downloaderActive = true }
      defer { board.locked { board.downloaderActive = false } }
      let line = ROMLine(board: board, epoch: epoch, baud: rom.settings.baud)
      let memory = ROMMemory()
      board.openUART(epoch)
      do {
        var downloader = ROMSerialDownloader(
          line: line, memory: memory, settings: rom.settings, faults: rom.faults)
        switch try downloader.run() {
        case .flashloader:
          // The flashloader takes a moment to set up clocks and the UART.
          try line.pause(20_000)
          if rom.faults.fire(.flashloaderSilent, command: "jump_address") != nil { try line.silence() }
          try line.discardInput()
          let flashloader = Flashloader(
            line: line, memory: memory, flash: rom.flash, settings: rom.settings, faults: rom.faults)
          switch try flashloader.run() {
          case .reset:
            board.closeUART(epoch)
            continue
          }
        }
      } catch {
        return false
      }
    }
  }

  /// The hash of the image the ROM would start from flash, or nil if it would not start one.
  static func bootableImageHash(_ flash: FlashArray) -> String? {
    let inspected = FlexSPIBootImage.inspect(flashSize: flash.size) { flash.read(offset: $0, count: $1) }
    guard case .success(let header) = inspected else { return nil }
    let start = Int(header.bootData.start - RT1062MemoryMap.flexSPIBase)
    return flash.hash(offset: start, count: Int(header.bootData.length))
  }
}

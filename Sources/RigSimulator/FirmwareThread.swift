// SPDX-License-Identifier: Apache-2.0

/// The virtual RT1062's life from power on to power off: the boot ROM (serial downloader and
/// flashloader, or the image in flash), the counting firmware, and again after a watchdog reset.
/// Runs on its own thread, as real hardware runs independently of the host.
enum FirmwareThread {
  static func run(board: VirtualBoard, epoch: UInt64) {
    var resetCause = "por"
    let boot = board.settings.bootTime.components
    let bootMicros =
      UInt64(max(0, boot.seconds)) * 1_000_000
      + UInt64(max(0, boot.attoseconds) / 1_000_000_000_000)
    while true {
      guard ROMBootSequence.run(board: board, epoch: epoch) else { return }
      guard board.sleep(untilMicros: board.micros() + bootMicros, epoch: epoch) else { return }
      let firmware = CountingFirmware(board: board, epoch: epoch, resetCause: resetCause)
      switch firmware.run() {
      case .poweredOff:
        return
      case .watchdogReset:
        // The UART is down until the firmware sets it up again after booting.
        board.closeUART(epoch)
        resetCause = "wdog"
      }
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// The virtual board's ROM and flashloader on a pseudo-terminal of their own (`rig sim rom`),
/// for any host tool that speaks NXP's protocols (sdphost, blhost, rig's own flasher).
///
/// The board is powered with the serial-downloader boot mode selected; after the flashloader's
/// Reset the ROM samples the pins again and waits in the serial downloader.
public final class ROMStandalone: Sendable {
  private let board: VirtualBoard
  private let uart: PseudoTerminalUART
  /// The tty a host tool opens.
  public var devicePath: String { uart.devicePath }
  /// The flash array (in `settings.file` when set).
  public var flash: FlashArray { board.rom.flash }

  /// Starts the ROM with `settings`; `bootMode` internal boots the image in flash instead.
  public init(settings: SimulatedFlashSettings, bootMode: BootMode = .serialDownloader) throws {
    var simulation = SimulationSettings(bootTime: .milliseconds(50))
    simulation.flash = settings
    board = VirtualBoard(settings: simulation, flash: try SimulatedBench.openFlash(settings))
    uart = try PseudoTerminalUART(board: board)
    board.locked { board.bootModePins = bootMode }
    board.setPower(.on)
  }

  /// Powers the board off and closes the pseudo-terminal.
  public func close() {
    board.setPower(.off)
    uart.close(board: board)
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore

/// A bench without hardware: a virtual RT1062 running people-counting firmware, a SPI camera
/// emulator it reads frames from, and a power switch, driven through the same capability
/// protocols as real hardware. Everything the virtual DUT does follows from `settings.seed`.
public final class SimulatedBench: Sendable {
  public let rig: RigConfiguration
  public let power: SimulatedPowerSwitch
  public let console: SimulatedConsole
  public let camera: SimulatedCamera
  /// The DUT's BOOT_MODE pins.
  public let bootMode: SimulatedBootModeControl
  let board: VirtualBoard
  private let uart: PseudoTerminalUART?

  /// A bench whose DUT console is reached in process, through `console`.
  public convenience init(settings: SimulationSettings, rig: RigConfiguration) {
    self.init(settings: settings, rig: rig, board: VirtualBoard(settings: settings), uart: nil)
  }

  /// A bench whose DUT console is a real pseudo-terminal at `consoleDevicePath`, which the host
  /// opens like any tty (as `rig run` does). Its flash persists in `settings.flash.file` if set.
  public static func wiredToPseudoTerminal(settings: SimulationSettings, rig: RigConfiguration) throws
    -> SimulatedBench
  {
    let board = VirtualBoard(settings: settings, flash: try Self.openFlash(settings.flash))
    return SimulatedBench(settings: settings, rig: rig, board: board, uart: try PseudoTerminalUART(board: board))
  }

  private init(settings: SimulationSettings, rig: RigConfiguration, board: VirtualBoard, uart: PseudoTerminalUART?) {
    self.rig = rig
    self.board = board
    self.uart = uart
    power = SimulatedPowerSwitch(board: board)
    console = SimulatedConsole(board: board)
    camera = SimulatedCamera(board: board)
    bootMode = SimulatedBootModeControl(board: board)
  }

  /// The tty the host opens to reach the DUT's console, when wired through a pseudo-terminal.
  public var consoleDevicePath: String? { uart?.devicePath }

  deinit {
    // The board's thread holds the board; with the supply off it ends instead of waiting for ever.
    board.setPower(.off)
  }

  /// The instruments as the runner uses them; the flasher talks to the ROM through `console`.
  public func bench() -> Bench {
    var bench = Bench(
      rig: rig, power: power, console: console, camera: camera, flasher: flasher(over: console),
      close: { [self] in await shutdown() })
    bench.bootMode = bootMode
    return bench
  }

  /// Powers the DUT off and closes the console; the bench is unusable afterwards.
  public func shutdown() async {
    board.setPower(.off)
    await console.close()
    uart?.close(board: board)
    board.events.finish()
  }
}

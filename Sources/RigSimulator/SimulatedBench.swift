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
  private let board: VirtualBoard

  public init(settings: SimulationSettings, rig: RigConfiguration) {
    self.rig = rig
    board = VirtualBoard(settings: settings)
    power = SimulatedPowerSwitch(board: board)
    console = SimulatedConsole(board: board)
    camera = SimulatedCamera(board: board)
  }

  deinit {
    // The board's thread holds the board; with the supply off it ends instead of waiting for ever.
    board.setPower(.off)
  }

  /// The instruments as the runner uses them. There is no flasher yet: the virtual DUT always
  /// runs the built-in firmware.
  public func bench() -> Bench {
    Bench(
      rig: rig, power: power, console: console, camera: camera, flasher: nil,
      close: { [self] in await shutdown() })
  }

  /// Powers the DUT off and closes the console; the bench is unusable afterwards.
  public func shutdown() async {
    board.setPower(.off)
    await console.close()
    board.events.finish()
  }
}

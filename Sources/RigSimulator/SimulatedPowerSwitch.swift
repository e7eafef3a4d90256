// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The virtual DUT's supply. Off stops the board at once (everything it held is lost); on boots
/// it, and the boot record follows after `SimulationSettings.bootTime`.
public final class SimulatedPowerSwitch: PowerSwitch {
  private let board: VirtualBoard

  init(board: VirtualBoard) {
    self.board = board
  }

  public func set(_ state: PowerState) async throws {
    if board.locked({ board.unplugged }) {
      throw RigError(
        .hardwareUnavailable,
        "the power switch of \(board.name) does not answer: the board is unplugged (simulated unplug fault)")
    }
    board.setPower(state)
  }

  /// Whether the supply is on.
  public var isOn: Bool {
    board.locked { board.powered }
  }
}

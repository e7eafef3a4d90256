// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The virtual board's BOOT_MODE pins: the ROM samples them at the next power on or reset.
public final class SimulatedBootModeControl: BootModeControl {
  private let board: VirtualBoard

  init(board: VirtualBoard) {
    self.board = board
  }

  public func select(_ mode: BootMode) async throws {
    board.locked { board.bootModePins = mode }
  }

  /// The mode the pins select now.
  public var selected: BootMode {
    board.locked { board.bootModePins }
  }
}

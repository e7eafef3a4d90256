// SPDX-License-Identifier: Apache-2.0

/// The board's side of the UART the ROM and the flashloader serve: what `ROMLine` waits on and
/// writes to. `VirtualBoard` is the simulated bench's; the fuzz targets of the ROM and the
/// flashloader drive `ROMLine` through a scripted one, on a clock of their own.
protocol ROMUART: AnyObject {
  /// Board microseconds now.
  func micros() -> UInt64
  /// Sleeps until `deadline` (board microseconds); false if the supply went off first.
  func sleep(untilMicros deadline: UInt64, epoch: UInt64) -> Bool
  /// Sleeps until host bytes arrive; false if the supply went off first.
  func waitForInput(epoch: UInt64) -> Bool
  /// Sleeps until host bytes arrive (true) or `deadline` passes (false); nil if the supply went
  /// off.
  func waitForInput(epoch: UInt64, untilMicros deadline: UInt64?) -> Bool?
  /// Moves the received bytes into `buffer` (emptied first); false if the supply went off.
  func takeReceived(into buffer: inout [UInt8], epoch: UInt64) -> Bool
  /// Device → host, while the firmware of `epoch` has power.
  func transmit(_ bytes: [UInt8], epoch: UInt64)
  /// Whether the firmware of `epoch` is dead (supply off or cycled).
  func isDead(_ epoch: UInt64) -> Bool
}

extension VirtualBoard: ROMUART {}

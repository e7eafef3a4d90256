// SPDX-License-Identifier: Apache-2.0
@testable import RigSimulator

/// The board side of the simulated ROM's UART, played from a fuzz input: the host's bytes arrive
/// in the input's pieces, time is a counter that waits advance, and once the input is used up
/// the device gets a few timeouts and then loses power, which ends its run.
public final class ScriptedUART: ROMUART {
  private var pieces: [[UInt8]]
  private var clock: UInt64 = 0
  private var dead = false
  /// Timeouts the device may still see after the input ran out.
  private var timeoutsLeft = 8
  /// What the device sent.
  public private(set) var output: [UInt8] = []
  /// A device answering one command with more than this is stopped (a ReadMemory of all of flash
  /// is 8 MiB): the run is cut short, not failed.
  static let outputLimit = 32 << 20

  public init(_ pieces: [ArraySlice<UInt8>]) {
    self.pieces = pieces.reversed().map(Array.init)
  }

  public func micros() -> UInt64 { clock }

  public func sleep(untilMicros deadline: UInt64, epoch: UInt64) -> Bool {
    clock = max(clock, deadline)
    return !dead
  }

  public func waitForInput(epoch: UInt64) -> Bool {
    if dead || pieces.isEmpty {
      dead = true
      return false
    }
    return true
  }

  public func waitForInput(epoch: UInt64, untilMicros deadline: UInt64?) -> Bool? {
    if dead { return nil }
    if !pieces.isEmpty { return true }
    guard let deadline, timeoutsLeft > 0 else {
      dead = true
      return nil
    }
    timeoutsLeft -= 1
    clock = max(clock, deadline)
    return false
  }

  public func takeReceived(into buffer: inout [UInt8], epoch: UInt64) -> Bool {
    guard !dead else { return false }
    buffer = pieces.popLast() ?? []
    return true
  }

  public func transmit(_ bytes: [UInt8], epoch: UInt64) {
    guard !dead else { return }
    output += bytes
    if output.count > Self.outputLimit { dead = true }
  }

  public func isDead(_ epoch: UInt64) -> Bool { dead }
}

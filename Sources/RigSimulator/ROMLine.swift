// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// The ROM's and the flashloader's end of the DUT's UART, at the line rate of
/// `SimulatedFlashSettings.baud`: a byte takes 10 bit times to arrive and 10 to leave, so a reply
/// never starts before the bytes it answers have fully arrived, and replies leave at line rate.
///
/// Throws `PoweredOff` as soon as the supply goes off (the board's epoch changes).
final class ROMLine {
  struct PoweredOff: Error {}

  private let board: any ROMUART
  private let epoch: UInt64
  /// Microseconds per byte on the line; 0 for no limit.
  private let microsPerByte: Double
  private var pending: [UInt8] = []
  private var head = 0
  /// When the pending bytes' first byte finished arriving, in board microseconds.
  private var chunkStart: Double = 0
  /// When the last byte taken had fully arrived.
  private var consumedAt: Double = 0
  /// When the transmitter is free again.
  private var transmitFree: Double = 0

  init(board: any ROMUART, epoch: UInt64, baud: Int) {
    self.board = board
    self.epoch = epoch
    microsPerByte = baud > 0 ? 10_000_000 / Double(baud) : 0
  }

  /// Board microseconds now.
  var now: UInt64 { board.micros() }

  /// The next byte, or nil when `deadline` (board microseconds; nil waits for ever) passes first.
  func byte(until deadline: UInt64?) throws(PoweredOff) -> UInt8? {
    if head == pending.count {
      guard try fill(until: deadline) else { return nil }
    }
    let byte = pending[head]
    head += 1
    consumedAt = chunkStart + Double(head) * microsPerByte
    return byte
  }

  /// Every byte received and not yet read (waiting for some until `deadline`), or nil on timeout.
  func available(until deadline: UInt64?) throws(PoweredOff) -> ArraySlice<UInt8>? {
    if head == pending.count {
      guard try fill(until: deadline) else { return nil }
    }
    let out = pending[head...]
    head = pending.count
    consumedAt = chunkStart + Double(head) * microsPerByte
    return out
  }

  /// Exactly `count` bytes, each within `gap` microseconds of the previous one; nil (and the
  /// partial bytes dropped) when the host stops sending.
  func bytes(_ count: Int, gap: UInt64) throws(PoweredOff) -> [UInt8]? {
    var out: [UInt8] = []
    // What the host announced is not trusted with memory: the buffer grows as bytes arrive.
    out.reserveCapacity(min(count, 1 << 16))
    while out.count < count {
      if head == pending.count {
        guard try fill(until: now + gap) else { return nil }
      }
      let n = min(count - out.count, pending.count - head)
      out += pending[head..<head + n]
      head += n
      consumedAt = chunkStart + Double(head) * microsPerByte
    }
    return out
  }

  /// Sends `bytes` once what was received so far has arrived and the transmitter is free; returns
  /// when the last byte has left.
  func transmit(_ bytes: [UInt8]) throws(PoweredOff) {
    guard !bytes.isEmpty else { return }
    let start = max(Double(now), consumedAt, transmitFree)
    transmitFree = start + Double(bytes.count) * microsPerByte
    if microsPerByte > 0 {
      guard board.sleep(untilMicros: UInt64(transmitFree), epoch: epoch) else { throw PoweredOff() }
    }
    board.transmit(bytes, epoch: epoch)
    if board.isDead(epoch) { throw PoweredOff() }
  }

  /// Waits `micros` of device time (an erase, a start-up).
  func pause(_ micros: UInt64) throws(PoweredOff) {
    guard micros > 0 else { return }
    guard board.sleep(untilMicros: now + micros, epoch: epoch) else { throw PoweredOff() }
  }

  /// Drops what arrived and was not read.
  func discardInput() throws(PoweredOff) {
    pending.removeAll(keepingCapacity: true)
    head = 0
    guard board.takeReceived(into: &pending, epoch: epoch) else { throw PoweredOff() }
    pending.removeAll(keepingCapacity: true)
  }

  /// Ignores everything until power off: a device that stopped answering.
  func silence() throws(PoweredOff) -> Never {
    while true {
      guard board.waitForInput(epoch: epoch) else { throw PoweredOff() }
      try discardInput()
    }
  }

  /// Takes the received bytes into `pending`; false on timeout.
  private func fill(until deadline: UInt64?) throws(PoweredOff) -> Bool {
    guard let ready = board.waitForInput(epoch: epoch, untilMicros: deadline) else { throw PoweredOff() }
    guard ready else { return false }
    head = 0
    guard board.takeReceived(into: &pending, epoch: epoch) else { throw PoweredOff() }
    if pending.isEmpty { return false }
    // The host wrote them just now (the device waits while the host sends), so they arrive over
    // the next bytes × 10 bit times, after any still arriving.
    chunkStart = max(Double(now), consumedAt)
    return true
  }
}

extension VirtualBoard {
  /// Sleeps until host bytes arrive or `deadline` (board microseconds) passes: true with bytes,
  /// false on timeout, nil if the supply went off.
  func waitForInput(epoch: UInt64, untilMicros deadline: UInt64?) -> Bool? {
    guard let deadline else { return waitForInput(epoch: epoch) ? true : nil }
    signal.lock()
    defer { signal.unlock() }
    while self.epoch == epoch {
      if !received.isEmpty { return true }
      let now = micros()
      if now >= deadline { return false }
      _ = signal.wait(until: Date(timeIntervalSinceNow: Double(deadline - now) / 1e6))
    }
    return nil
  }
}

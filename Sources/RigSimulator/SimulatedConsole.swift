// SPDX-License-Identifier: Apache-2.0
import RigCore
import Synchronization

/// The virtual DUT's UART as the host sees it. Bytes written reach the firmware's receive path
/// only while it runs (lost otherwise, as on a real UART); what the firmware prints arrives as
/// chunks stamped on arrival.
public final class SimulatedConsole: SerialLink {
  private let board: VirtualBoard
  private let closed = Atomic<Bool>(false)

  init(board: VirtualBoard) {
    self.board = board
  }

  public var name: String { "simulated console" }

  public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
    try checkOpen()
    board.receive(bytes)
  }

  public func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
    try checkOpen()
    if let chunk = try await board.output.next(until: deadline) { return chunk }
    try checkOpen()
    return nil
  }

  public func discardInput() {
    board.output.removeAll()
  }

  public func close() async {
    closed.store(true, ordering: .sequentiallyConsistent)
    board.output.finish()
  }

  private func checkOpen() throws {
    if closed.load(ordering: .sequentiallyConsistent) {
      throw RigError(
        .hardwareUnavailable, "simulated console: closed (the bench was shut down)")
    }
  }
}

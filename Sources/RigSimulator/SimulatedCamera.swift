// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigEmulatorCore

/// The simulated bench's SPI camera emulator: the C ArduChip register model, with 256 KiB of
/// frame RAM, that the virtual DUT's driver reads frames from.
public final class SimulatedCamera: CameraEmulator {
  private let board: VirtualBoard

  init(board: VirtualBoard) {
    self.board = board
  }

  /// Frames of the configured size that fit in the frame RAM beside the one the DUT holds.
  public var queueCapacity: Int {
    board.locked {
      let setup = board.setup
      let bytes =
        setup.format.frameBytes(width: setup.width, height: setup.height)
        ?? setup.width * setup.height
      return EmulatorCore.queueCapacity(frameBytes: bytes)
    }
  }

  public func reset(deadline: ContinuousClock.Instant) async throws {
    board.locked {
      let mode = board.emulator.chip.pointee.mode
      arduchip_reset(board.emulator.chip)
      arduchip_set_mode(board.emulator.chip, arduchip_play_mode_t(UInt32(mode)))
      board.events.removeAll()
      board.signal.broadcast()
    }
  }

  /// Sets the format, size and play mode for the next clip; frames still queued are dropped.
  public func configure(_ setup: CameraSetup, deadline: ContinuousClock.Instant) async throws {
    board.locked {
      board.setup = setup
      arduchip_queue_clear(board.emulator.chip)
      arduchip_set_mode(board.emulator.chip, Self.mode(setup.mode))
      board.signal.broadcast()
    }
  }

  /// Queues a frame. Throws at once when `queueCapacity` frames already wait; waits (until the
  /// deadline) when only the frame RAM is short, as with frames so large that the one the DUT
  /// still holds leaves no room.
  public func enqueue(_ frame: EmulatorFrame, deadline: ContinuousClock.Instant) async throws {
    let capacity = queueCapacity
    while true {
      let outcome = board.locked { () -> Result<Bool, RigError> in
        let queued = Int(arduchip_queue_depth(board.emulator.chip))
        guard queued < capacity else {
          return .failure(
            RigError(
              .hardwareFault,
              "simulated camera emulator: queue full (\(queued) frames waiting, capacity "
                + "\(capacity)); queue frame \(frame.index) after the DUT has read one"))
        }
        guard arduchip_ram_largest_free(board.emulator.chip) >= UInt32(frame.bytes.count) else {
          return .success(false)
        }
        do {
          try board.emulator.stream(frame)
        } catch let error as RigError {
          return .failure(error)
        } catch {
          return .failure(RigError(.internal, "simulated camera emulator: \(error)"))
        }
        board.signal.broadcast()
        return .success(true)
      }
      if try outcome.get() { return }
      guard ContinuousClock.now < deadline else {
        throw RigError(
          .timedOut,
          "simulated camera emulator: no room for frame \(frame.index) "
            + "(\(frame.bytes.count) bytes) before the deadline; the DUT is not reading frames")
      }
      try await Task.sleep(for: .microseconds(200))
    }
  }

  public func nextEvent(until deadline: ContinuousClock.Instant) async throws -> EmulatorEvent? {
    await board.events.next(until: deadline)
  }

  public func status(deadline: ContinuousClock.Instant) async throws -> EmulatorStatus {
    board.locked { board.emulator.status() }
  }

  /// Arms a register-model fault for what the DUT reads next (see `EmulatorFault`).
  public func inject(
    _ fault: EmulatorFault, _ duration: EmulatorFault.Duration, parameter: UInt32 = 0
  ) {
    board.locked {
      arduchip_set_fault(board.emulator.chip, fault.kind, duration.mode, parameter)
    }
  }

  private static func mode(_ mode: PlaybackMode) -> arduchip_play_mode_t {
    switch mode {
    case .lockstep: ARDUCHIP_PLAY_LOCKSTEP
    case .loop: ARDUCHIP_PLAY_LOOP
    case .hold: ARDUCHIP_PLAY_HOLD
    }
  }
}

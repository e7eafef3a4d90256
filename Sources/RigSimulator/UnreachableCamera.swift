// SPDX-License-Identifier: Apache-2.0
import RigCore

/// Stands in for a camera emulator that the host must open itself (the simulated emulator on a
/// pseudo-terminal): every use says so.
struct UnreachableCamera: CameraEmulator {
  let reason: String

  var queueCapacity: Int { 1 }

  func reset(deadline: ContinuousClock.Instant) async throws { throw failure() }
  func configure(_ setup: CameraSetup, deadline: ContinuousClock.Instant) async throws { throw failure() }
  func enqueue(_ frame: EmulatorFrame, deadline: ContinuousClock.Instant) async throws { throw failure() }
  func nextEvent(until deadline: ContinuousClock.Instant) async throws -> EmulatorEvent? { throw failure() }
  func status(deadline: ContinuousClock.Instant) async throws -> EmulatorStatus { throw failure() }

  private func failure() -> RigError {
    RigError(.hardwareUnavailable, "camera emulator not connected: \(reason)")
  }
}

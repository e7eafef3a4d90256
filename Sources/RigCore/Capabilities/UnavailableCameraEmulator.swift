// SPDX-License-Identifier: Apache-2.0

/// Stands in for a camera emulator the bench cannot reach (a rig file without one, an emulator
/// the host must open itself): every call throws `error`, so a test that needs frames errors with
/// the reason while power, console and flashing still work.
public struct UnavailableCameraEmulator: CameraEmulator {
  public let error: RigError
  public var queueCapacity: Int { 1 }

  public init(_ error: RigError) {
    self.error = error
  }

  public func reset(deadline: ContinuousClock.Instant) async throws { throw error }
  public func configure(_ setup: CameraSetup, deadline: ContinuousClock.Instant) async throws {
    throw error
  }
  public func enqueue(_ frame: EmulatorFrame, deadline: ContinuousClock.Instant) async throws {
    throw error
  }
  public func nextEvent(until deadline: ContinuousClock.Instant) async throws -> EmulatorEvent? {
    throw error
  }
  public func status(deadline: ContinuousClock.Instant) async throws -> EmulatorStatus {
    throw error
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The camera of a hardware rig file without `camera:`: every call throws, saying what the rig
/// file needs, so a run that needs frames errors with the reason while power, console and
/// flashing work.
public struct UnconfiguredCameraEmulator: CameraEmulator {
  public let rig: RigConfiguration
  public var queueCapacity: Int { 1 }

  /// The stand-in for `rig`'s missing camera.
  public init(rig: RigConfiguration) {
    self.rig = rig
  }

  private var unavailable: RigError {
    RigError(
      .hardwareUnavailable,
      "rig '\(rig.name)' (\(rig.file.displayPath)) has no camera emulator: add "
        + "`camera: { emulator: { port: /dev/serial/by-id/… } }` (or a usb: match) to the rig "
        + "file to stream frames (docs/bench-setup.md)")
  }

  public func reset(deadline: ContinuousClock.Instant) async throws { throw unavailable }
  public func configure(_ setup: CameraSetup, deadline: ContinuousClock.Instant) async throws {
    throw unavailable
  }
  public func enqueue(_ frame: EmulatorFrame, deadline: ContinuousClock.Instant) async throws {
    throw unavailable
  }
  public func nextEvent(until deadline: ContinuousClock.Instant) async throws -> EmulatorEvent? {
    throw unavailable
  }
  public func status(deadline: ContinuousClock.Instant) async throws -> EmulatorStatus {
    throw unavailable
  }
}

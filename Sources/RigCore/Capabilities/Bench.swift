// SPDX-License-Identifier: Apache-2.0

/// One rig's instruments, opened and ready: what the runner drives. The runner only ever sees
/// these protocols, never whether they are real or simulated.
public struct Bench: Sendable {
  public var rig: RigConfiguration
  public var power: any PowerSwitch
  public var console: any SerialLink
  public var camera: any CameraEmulator
  public var flasher: (any Flasher)?
  /// Releases everything the bench opened. Called once, after the bench is safe (power off).
  public var close: @Sendable () async -> Void

  public init(
    rig: RigConfiguration, power: any PowerSwitch, console: any SerialLink,
    camera: any CameraEmulator, flasher: (any Flasher)?, close: @escaping @Sendable () async -> Void
  ) {
    self.rig = rig
    self.power = power
    self.console = console
    self.camera = camera
    self.flasher = flasher
    self.close = close
  }
}

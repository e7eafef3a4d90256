// SPDX-License-Identifier: Apache-2.0

/// One rig's instruments, opened and ready: what the runner drives. The runner only ever sees
/// these protocols, never whether they are real or simulated.
public struct Bench: Sendable {
  public var rig: RigConfiguration
  public var power: any PowerSwitch
  public var console: any SerialLink
  public var camera: any CameraEmulator
  public var flasher: (any Flasher)?
  /// Boot-mode pins, when the rig wires them (needed by the ROM serial-downloader flash path).
  public var bootMode: (any BootModeControl)?
  /// The DUT's result-ready pin, when the rig wires one.
  public var resultPin: (any EdgeInput)?
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
    self.bootMode = nil
    self.resultPin = nil
    self.close = close
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The camera of a hardware rig file without `camera:`.
public typealias UnconfiguredCameraEmulator = UnavailableCameraEmulator

extension UnavailableCameraEmulator {
  /// The stand-in for `rig`'s missing camera: its error says what the rig file needs.
  public init(rig: RigConfiguration) {
    self.init(
      RigError(
        .hardwareUnavailable,
        "rig '\(rig.name)' (\(rig.file.displayPath)) has no camera emulator: add "
          + "`camera: { emulator: { port: /dev/serial/by-id/… } }` (or a usb: match) to the rig "
          + "file to stream frames (docs/bench-setup.md)"))
  }
}

// SPDX-License-Identifier: Apache-2.0

extension RigConfiguration {
  /// The frame format the rig's DUT firmware reads from the camera, when the rig says; nil means
  /// whatever each clip stores. Clips are converted to it on the way to the emulator.
  public var cameraFormat: PixelFormat? {
    simulation?.camera.format
  }
}

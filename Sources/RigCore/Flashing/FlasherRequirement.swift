// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A suite that names a firmware image must run on that image or not pass: the rig has to be able
/// to put it on the board, unless the user says otherwise (`--no-flash`, and the report then tells
/// which image ran). Checked before anything touches the bench, as a configuration problem.
public enum FlasherRequirement {
  /// Whether `rig` can flash its board: the simulated bench always can (through its ROM), a
  /// hardware rig only with a `flasher:` section.
  public static func canFlash(_ rig: RigConfiguration) -> Bool {
    rig.simulation != nil || rig.hardware?.flasher != nil
  }

  /// Why `suite` cannot run on `rig` as it asks; nil when the suite names no image or the rig can
  /// flash it.
  public static func issue(suite: Suite, rig: RigConfiguration) -> ConfigIssue? {
    guard let image = suite.firmware, !canFlash(rig) else { return nil }
    return ConfigIssue(
      location: suite.firmwareLocation ?? SourceLocation(file: suite.file.displayPath),
      path: "firmware.image",
      message:
        "the suite runs on \(image.displayPath), but rig '\(rig.name)' (\(rig.file.displayPath)) has "
        + "no flasher: to put it on the board, so the tests would judge whatever image the board holds",
      hint:
        "add a flasher: section to \(rig.file.displayPath) (docs/configuration.md 4.4), or flash the "
        + "board another way and run with --no-flash: the report then says which image ran")
  }

  /// Why `rig flash` cannot put `image` on `rig`'s board; nil when it can.
  public static func issue(image: URL, rig: RigConfiguration) -> ConfigIssue? {
    guard !canFlash(rig) else { return nil }
    return ConfigIssue(
      location: SourceLocation(file: rig.file.displayPath), path: "flasher",
      message: "rig '\(rig.name)' has no flasher:, so \(image.displayPath) cannot be put on its board",
      hint:
        "add a flasher: section (docs/configuration.md 4.4): native over the console, a preset "
        + "(pyocd, jlink, teensy, blhost) or your own command")
  }
}

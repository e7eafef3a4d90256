// SPDX-License-Identifier: Apache-2.0

/// Where the RT1062 boots from after its next reset (its BOOT_MODE[1:0] pins).
public enum BootMode: String, Sendable, Codable {
  /// Boot from the image in FlexSPI NOR (normal operation).
  case `internal`
  /// Stay in the ROM's serial downloader (SDP) so a flashloader can be loaded.
  case serialDownloader = "serial_downloader"
}

/// Sets the boot-mode pins; the mode takes effect at the next power-on or reset.
public protocol BootModeControl: Sendable {
  func select(_ mode: BootMode) async throws
}

// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A flasher that runs programs (`flasher: { preset: pyocd }` or `{ command: […] }`): each step an
/// argv template run without a shell, under a timeout, its output kept for the report.
///
/// Placeholders in arguments: `{hex}` (the image as Intel HEX), `{bin}` (raw bytes), `{image}`
/// (the file as given), `{address}` (load address, hex), `{erase_length}` (bytes to erase,
/// whole 4 KiB sectors), `{jlink_script}` (a J-Link Commander script loading `{hex}`),
/// `{flashloader}` (the RAM flashloader for sdphost).
public struct ExternalFlasherSettings: Sendable, Equatable {
  /// The preset the steps came from (`pyocd`, `jlink`, `teensy`, `blhost`), nil for a custom command.
  public var preset: String?
  public var steps: [[String]]
  /// Each step is killed when it runs longer.
  public var timeout: Duration
  /// A GPIO line pulsed before the steps (the Teensy's PROGRAM pin), by name.
  public var programPin: String?
  public var pulse: Duration
  /// Select the serial downloader and power the board for the steps (blhost through the ROM).
  public var usesBootMode: Bool
  public var flashloader: URL?

  public init(
    preset: String? = nil, steps: [[String]], timeout: Duration = .seconds(120), programPin: String? = nil,
    pulse: Duration = .milliseconds(100), usesBootMode: Bool = false, flashloader: URL? = nil
  ) {
    self.preset = preset
    self.steps = steps
    self.timeout = timeout
    self.programPin = programPin
    self.pulse = pulse
    self.usesBootMode = usesBootMode
    self.flashloader = flashloader
  }

  /// Every placeholder the steps may use; a rig file naming another is refused.
  public static let placeholders = [
    "{hex}", "{bin}", "{image}", "{address}", "{length}", "{erase_length}", "{readback}",
    "{jlink_script}", "{flashloader}",
  ]

  /// The J-Link Commander script `{jlink_script}` names (Zephyr's runner does the same).
  public static let jlinkScript = "ExitOnError 1\nr\nloadfile \"{hex}\"\nr\ng\nq\n"

  /// pyOCD's built-in MIMXRT1060 flash algorithm (FlexSPI at 0x60000000); `probe` picks one by UID.
  public static func pyocd(probe: String? = nil) -> ExternalFlasherSettings {
    var argv = ["pyocd", "flash", "--target", "mimxrt1060"]
    if let probe { argv += ["--uid", probe] }
    return ExternalFlasherSettings(preset: "pyocd", steps: [argv + ["{hex}"]])
  }

  /// SEGGER J-Link with the QSPI loader of the EVK/EVKB NOR; `probe` picks one by serial number.
  public static func jlink(device: String = "MIMXRT1062xxx6A", loader: String = "QSPI", probe: String? = nil)
    -> ExternalFlasherSettings
  {
    var argv = ["JLinkExe", "-nogui", "1", "-if", "swd", "-speed", "auto"]
    if let probe { argv += ["-USB", probe] }
    argv += ["-device", "\(device)?BankAddr=0x60000000&Loader=\(loader)", "-CommanderScript", "{jlink_script}"]
    return ExternalFlasherSettings(preset: "jlink", steps: [argv])
  }

  /// PJRC's teensy_loader_cli, after a pulse on the PROGRAM pin starts HalfKay.
  public static func teensy(mcu: String = "TEENSY41", programPin: String? = nil) -> ExternalFlasherSettings {
    ExternalFlasherSettings(
      preset: "teensy", steps: [["teensy_loader_cli", "--mcu=\(mcu)", "-w", "-v", "{hex}"]],
      programPin: programPin)
  }

  /// NXP's sdphost + blhost over USB-HID (ROM 0x1FC9:0x0135, flashloader 0x15A2:0x0073), the
  /// sequence of docs/flashing-protocols.md §4.11; USB keeps the console UART free for rig.
  public static func blhost(flashloader: URL?) -> ExternalFlasherSettings {
    let rom = ["sdphost", "-u", "0x1fc9,0x0135", "--"]
    let loader = ["blhost", "-u", "0x15a2,0x0073", "-t", "60000", "--"]
    return ExternalFlasherSettings(
      preset: "blhost",
      steps: [
        rom + ["write-file", "0x20000000", "{flashloader}"],
        rom + ["jump-address", "0x20000400"],
        loader + ["fill-memory", "0x2000", "4", "0xC0000007", "word"],
        loader + ["configure-memory", "9", "0x2000"],
        loader + ["flash-erase-region", "{address}", "{erase_length}", "9"],
        loader + ["write-memory", "{address}", "{bin}", "9"],
        loader + ["read-memory", "{address}", "{length}", "{readback}", "9"],
        loader + ["reset"],
      ],
      usesBootMode: true, flashloader: flashloader)
  }
}

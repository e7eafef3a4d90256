// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigSystem

/// The programs the external flashers run, and how to install each: what `rig doctor` and an
/// opening bench say when one is missing.
enum FlasherPrograms {
  /// How to get `program`, for the programs the presets run.
  static func installHint(_ program: String) -> String {
    switch program {
    case "pyocd": "install pyOCD: `pip install pyocd` (or pipx)"
    case "JLinkExe":
      "install SEGGER's J-Link Software and Documentation Pack (segger.com/downloads/jlink) for "
        + "this machine's architecture"
    case "teensy_loader_cli": "sudo apt install teensy-loader-cli"
    case "sdphost", "blhost":
      "install NXP's SPSDK, which provides sdphost and blhost: `pip install spsdk`"
    default:
      program.contains("/")
        ? "check the path in the rig file" : "install it, or write its full path in the rig file"
    }
  }

  /// The program's path.
  /// - Throws: `RigError(.hardwareUnavailable)` naming it and how to install it.
  static func locate(_ program: String) throws -> String {
    if program.contains("/") { return try ProgramSearch.locate(program, purpose: "flasher") }
    guard let found = ProgramSearch.search(program) else {
      throw RigError(
        .hardwareUnavailable,
        "flasher: program '\(program)' not found on PATH (\(installHint(program)))")
    }
    return found
  }
}

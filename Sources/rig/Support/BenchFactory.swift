// SPDX-License-Identifier: Apache-2.0
import Logging
import RigCore
import RigSystem
import RigHardware
import RigSimulator

/// Opens the instruments a rig file describes: the simulated bench for a `simulated:` rig, the
/// real hardware (`HardwareBench`) for a rig with `power:` and `console:`. The one place the
/// commands tell the two apart: a whole bench (`rig run`), the console alone (`rig console`),
/// the camera emulator's link alone (`rig emulator selftest`), or hardware only (`rig power`).
enum BenchFactory {
  /// Which bench a rig file describes.
  enum Backend {
    case simulated(SimulationSettings)
    case hardware(HardwareSettings)
  }

  /// The bench `rig` describes.
  static func backend(of rig: RigConfiguration) throws -> Backend {
    if let settings = rig.simulation { return .simulated(settings) }
    if let hardware = rig.hardware { return .hardware(hardware) }
    throw RigError(.internal, "rig '\(rig.name)' is neither simulated nor hardware")
  }

  /// The hardware settings of `rig`, or a usage error saying why `purpose` needs real hardware.
  static func requireHardware(_ rig: RigConfiguration, for purpose: String) throws -> HardwareSettings {
    guard case .hardware(let hardware) = try backend(of: rig) else {
      throw RigError(
        .usage,
        "\(rig.file.displayPath) describes the simulated bench, whose \(purpose) exists only "
          + "inside a run; give a hardware rig file (docs/bench-setup.md)")
    }
    return hardware
  }

  /// Where the hardware layer says what happened that a user must know (a port that vanished and
  /// came back, a warning): standard error, beside the diagnostics. What it chose on the way
  /// (which serial implementation serves a port, each power command) is for `verboseLogger`.
  static let logger = logger(level: .notice)

  /// The hardware layer's log for `-v`: also what it chose and did.
  static let verboseLogger = logger(level: .debug)

  private static func logger(level: Logger.Level) -> Logger {
    var logger = Logger(label: "rig") { label in StreamLogHandler.standardError(label: label) }
    logger.logLevel = level
    return logger
  }

  static func open(_ rig: RigConfiguration, verbose: Bool = false) async throws -> (bench: Bench, kind: String) {
    switch try backend(of: rig) {
    case .hardware(let hardware): try await openHardware(rig, hardware, verbose: verbose)
    case .simulated(let settings): try openSimulated(rig, settings)
    }
  }

  private static func openHardware(_ rig: RigConfiguration, _ hardware: HardwareSettings, verbose: Bool)
    async throws -> (bench: Bench, kind: String)
  {
    let opened = try await HardwareBench.open(rig, logger: verbose ? verboseLogger : logger)
    let power: String =
      switch hardware.power.control {
      case .line(let line): "\(line)"
      case .command(let on, _): "`\(on)`"
      }
    let camera = hardware.camera.map { ", camera emulator \($0.emulator.address)" } ?? ""
    return (
      try opened.bench(),
      "hardware bench (\(rig.board)), power \(power), console \(hardware.console.address)"
        + camera
    )
  }

  private static func openSimulated(_ rig: RigConfiguration, _ settings: SimulationSettings) throws
    -> (bench: Bench, kind: String)
  {
    // The virtual DUT's UART is a real pseudo-terminal, read through the same termios link as
    // any tty, so a simulated run exercises the host's real serial path.
    let simulated = try SimulatedBench.wiredToPseudoTerminal(settings: settings, rig: rig)
    guard let path = simulated.consoleDevicePath else {
      throw RigError(.internal, "the simulated bench has no console tty")
    }
    let link = try TermiosSerialLink(path: path, baud: 115_200)
    // The camera likewise: the emulator's link protocol on its own tty, as with an RP2040
    // emulator's USB CDC port.
    guard let cameraPath = simulated.emulatorDevicePath else {
      throw RigError(.internal, "the simulated bench has no camera emulator tty")
    }
    let cameraLink = try TermiosSerialLink(path: cameraPath, baud: 115_200)
    var bench = simulated.bench(camera: LinkCameraEmulator(link: cameraLink))
    bench.console = link
    bench.flasher = simulated.flasher(over: link)
    bench.close = {
      await link.close()
      await cameraLink.close()
      await simulated.shutdown()
    }
    return (
      bench,
      "simulated bench (seed \(settings.seed)), console on \(path), camera emulator link on "
        + "\(cameraPath), both via termios"
    )
  }
}

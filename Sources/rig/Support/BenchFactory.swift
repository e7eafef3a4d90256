// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigHardware
import RigSimulator

/// Opens the instruments a rig file describes: the simulated bench for a `simulated:` rig.
enum BenchFactory {
  static func open(_ rig: RigConfiguration) throws -> (bench: Bench, kind: String) {
    guard let settings = rig.simulation else {
      throw RigError(
        .hardwareUnavailable,
        "\(rig.file.displayPath): rig '\(rig.name)' describes real hardware, which this build of rig cannot "
          + "drive; use a rig with a 'simulated:' section such as Rigs/sim.yaml")
    }
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

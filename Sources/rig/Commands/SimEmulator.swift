// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import RigCore
import RigSimulator

extension Rig {
  /// The simulated camera emulator on a pseudo-terminal, as if an RP2040 emulator were plugged in.
  struct SimEmulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "emulator",
      abstract: "Serve the simulated camera emulator's link on a pseudo-terminal until stopped.",
      discussion: """
        The emulator is the C register model and link device side of emulator firmware \
        (docs/emulator-protocol.md). PATH becomes a symlink to the tty, so point anything that \
        drives an emulator at it: `rig emulator selftest --port PATH`. With --read-frames a \
        virtual DUT reads every frame the emulator serves, with the stock ArduCAM driver flow. \
        Stops on SIGINT or SIGTERM (exit 0) and removes the symlink.
        """)

    @Option(name: .long, help: "Create this symlink to the pseudo-terminal (like socat's link=).")
    var link: String

    @Flag(help: "Run a virtual DUT that captures and reads every frame served.")
    var readFrames = false

    @Option(help: "Frame RAM of the emulator, KiB.")
    var ramKib: Int = 256

    @Option(help: "Bytes per second the link carries from the host (1000000: USB full speed; 0: as fast as the tty).")
    var linkRate: Int = 0

    func validate() throws {
      guard (160...8192).contains(ramKib) else {
        throw ValidationError("--ram-kib must be 160…8192 (one QVGA RGB565 frame needs 150 KiB)")
      }
      guard linkRate >= 0 else { throw ValidationError("--link-rate must be 0 (no limit) or more") }
    }

    func run() async throws {
      let emulator: SimulatedEmulator
      let tty: String
      do {
        emulator = try SimulatedEmulator(
          ramBytes: ramKib * 1024, pseudoTerminal: true, readsFrames: readFrames,
          linkBytesPerSecond: Double(linkRate))
        guard let path = emulator.devicePath else { throw RigError(.internal, "the emulator has no tty") }
        tty = path
        try LinkPath.place(link, to: tty)
      } catch {
        throw Failure.exit(error)
      }
      Terminal.out(
        "simulated camera emulator on \(tty), linked from \(link) (\(ramKib) KiB frame RAM"
          + (readFrames ? ", a virtual DUT reading frames" : "")
          + (linkRate > 0 ? ", link carrying \(linkRate) bytes/s" : "") + "); stop with Ctrl-C")
      let trap = SignalTrap(notice: "closing the emulator's pseudo-terminal")
      await trap.run {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
      }
      await emulator.close()
      LinkPath.remove(link)
      Terminal.out("stopped by \(trap.reason ?? "a signal"); removed \(link)")
    }
  }
}

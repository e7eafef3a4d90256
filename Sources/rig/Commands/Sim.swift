// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSimulator

extension Rig {
  /// Parts of the simulated bench, run on their own for tools that talk to real devices.
  struct Sim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run parts of the simulated bench on their own.",
      subcommands: [Emulator.self])
  }
}

extension Rig.Sim {
  /// The simulated camera emulator on a pseudo-terminal, as if an RP2040 emulator were plugged in.
  struct Emulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Serve the simulated camera emulator's link on a pseudo-terminal until stopped.",
      discussion: """
        The emulator is the C register model and link device side of emulator firmware \
        (docs/emulator-protocol.md). PATH becomes a symlink to the tty, so point anything that \
        drives an emulator at it: `rig emulator selftest --port PATH`. With --read-frames a \
        virtual DUT reads every frame the emulator serves, with the stock ArduCAM driver flow. \
        Stops on SIGINT or SIGTERM (exit 0) and removes the symlink.
        """)

    @Option(name: .long, help: "Symlink to create, pointing at the emulator's tty.")
    var link: String

    @Flag(help: "Run a virtual DUT that captures and reads every frame served.")
    var readFrames = false

    @Option(help: "Frame RAM of the emulator, KiB.")
    var ramKib: Int = 256

    func validate() throws {
      guard (160...8192).contains(ramKib) else {
        throw ValidationError("--ram-kib must be 160…8192 (one QVGA RGB565 frame needs 150 KiB)")
      }
    }

    func run() async throws {
      do {
        let emulator = try SimulatedEmulator(
          ramBytes: ramKib * 1024, pseudoTerminal: true, readsFrames: readFrames)
        guard let tty = emulator.devicePath else { throw RigError(.internal, "the emulator has no tty") }
        try Self.placeLink(link, to: tty)
        Terminal.out(
          "simulated camera emulator on \(tty), linked from \(link) (\(ramKib) KiB frame RAM"
            + (readFrames ? ", a virtual DUT reading frames" : "") + "); stop with Ctrl-C")
        let signal = await Self.nextStopSignal()
        await emulator.close()
        try? FileManager.default.removeItem(atPath: link)
        Terminal.out("stopped by \(signal); removed \(link)")
      } catch {
        throw Failure.exit(error)
      }
    }

    /// Waits for SIGINT or SIGTERM and returns its name.
    static func nextStopSignal() async -> String {
      let (names, continuation) = AsyncStream.makeStream(of: String.self)
      var sources: [DispatchSourceSignal] = []
      for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
        Foundation.signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { continuation.yield(name) }
        source.resume()
        sources.append(source)
      }
      var received = "a signal"
      for await name in names {
        received = name
        break
      }
      for source in sources { source.cancel() }
      return received
    }

    /// Points `path` at `tty`, replacing an old symlink but nothing else.
    static func placeLink(_ path: String, to tty: String) throws {
      if let kind = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType {
        guard kind == .typeSymbolicLink else {
          throw RigError(.usage, "\(path) exists and is not a symlink; choose another --link path")
        }
        try FileManager.default.removeItem(atPath: path)
      }
      do {
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: tty)
      } catch {
        throw RigError(.usage, "cannot create the symlink \(path): \(error.localizedDescription)")
      }
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem
import RigHardware
import RigSimulator

extension Rig {
  /// The SPI camera emulator on its own.
  struct Emulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a camera emulator over its link.",
      subcommands: [SelfTest.self])
  }
}

extension Rig.Emulator {
  /// Test patterns, CRC checks, link counters and upload rate.
  struct SelfTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "selftest",
      abstract: "Upload test patterns to a camera emulator, check them and measure the link.",
      discussion: """
        With a simulated rig (the default, as for rig run) the simulated emulator is started on a \
        pseudo-terminal, with a virtual DUT reading frames, and checked through that tty. With a \
        hardware rig, the emulator on its camera: port is checked. With \
        --port, the emulator on that serial port is checked (an RP2040 emulator's USB CDC port, \
        or the tty of `rig sim emulator`). Exit 0 when every check passed, 1 when one failed, 69 \
        when the emulator does not answer.
        """)

    @OptionGroup var rigOption: RigOption

    @Option(help: "Serial port of the emulator (a path such as /dev/ttyACM0).")
    var port: String?

    @Option(help: "Baud rate for a UART-attached emulator (USB CDC ignores it).")
    var baud: Int = 115_200

    @Option(help: "96×96 frames uploaded to measure the link (a tenth as many QVGA frames).")
    var frames: Int = 200

    func validate() throws {
      guard rigOption.rig == nil || port == nil else {
        throw ValidationError("give either --rig FILE or --port PATH, not both")
      }
      guard frames > 0 else { throw ValidationError("--frames must be at least 1") }
    }

    func run() async throws {
      do {
        let configuration = port == nil ? try rigOption.load() : nil
        // A hardware rig's emulator is reset and reloaded: never while a run uses it.
        let lock = try configuration.flatMap {
          $0.hardware == nil ? nil : try RigLock.acquire(rig: $0, purpose: "rig emulator selftest")
        }
        defer { lock?.release() }
        let (link, emulator, what) = try await open(configuration)
        Terminal.out("checking the camera emulator \(what)")
        let camera = LinkCameraEmulator(link: link)
        let report: EmulatorSelfTest.Report
        do {
          report = try await EmulatorSelfTest.run(camera, frames: frames) { step in
            let mark = step.passed.map { $0 ? "ok  " : "FAIL" } ?? "skip"
            Terminal.out("\(mark) \(step.name): \(step.detail)")
          }
        } catch {
          await link.close()
          await emulator?.close()
          throw error
        }
        for t in report.throughput {
          Terminal.out(
            "rate \(t.label): \(t.frames) frames in \(MetricFormat.format3(t.seconds)) s — "
              + "\(MetricFormat.format3(t.bytesPerSecond / 1e6)) MB/s, "
              + "\(MetricFormat.number((t.framesPerSecond * 10).rounded() / 10)) frames/s")
        }
        await link.close()
        await emulator?.close()
        Terminal.out(report.passed ? "self-test passed" : "self-test FAILED")
        if !report.passed { throw ExitCode(ExitStatus.testFailed.rawValue) }
      } catch {
        throw Failure.exit(error)
      }
    }

    /// The link to check, and the simulated emulator behind it when there is one.
    private func open(_ configuration: RigConfiguration?) async throws
      -> (any SerialLink, SimulatedEmulator?, String)
    {
      guard let configuration else {
        let path = port ?? ""
        let link = try SerialLinkFactory.open(
          HardwareSettings.SerialPort(address: .path(path), baud: baud, reconnect: .zero),
          role: "camera emulator",
          logger: BenchFactory.logger)
        return (link, nil, "on \(path)")
      }
      let settings: SimulationSettings
      switch try BenchFactory.backend(of: configuration) {
      case .hardware(let hardware):
        guard let camera = hardware.camera else {
          throw RigError(
            .hardwareUnavailable,
            "\(configuration.file.displayPath): rig '\(configuration.name)' has no camera emulator; "
              + "add camera: { emulator: { port: … } } to it, or give the emulator's serial port "
              + "with --port")
        }
        let link = try SerialLinkFactory.open(
          camera.emulator, role: "camera emulator", logger: BenchFactory.logger)
        return (link, nil, "of rig '\(configuration.name)' on \(camera.emulator.address)")
      case .simulated(let simulation):
        settings = simulation
      }
      let emulator = try SimulatedEmulator(
        ramBytes: settings.camera.ramBytes, pseudoTerminal: true, readsFrames: true)
      guard let tty = emulator.devicePath else { throw RigError(.internal, "the emulator has no tty") }
      do {
        return (
          try TermiosSerialLink(path: tty, baud: baud), emulator,
          "of rig '\(configuration.name)' (simulated, on \(tty) via termios)"
        )
      } catch {
        await emulator.close()
        throw error
      }
    }
  }
}

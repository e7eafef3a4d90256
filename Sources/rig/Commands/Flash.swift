// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem

extension Rig {
  struct Flash: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Flash a firmware image onto a rig's board.",
      discussion: """
        Skips flashing when the board already reports the image's hash at boot (--force flashes \
        anyway); after flashing, the board must boot and report the new hash. The board is left \
        powered off. Exit code: 0 flashed or already running, 2 the flash failed, 69 hardware \
        unavailable, 78 bad configuration or image (a rig without flasher: among them), 128+n \
        stopped by signal n.
        """)

    @Argument(help: "Firmware image: .bin, .hex (Intel HEX) or .elf.")
    var image: String

    @OptionGroup var rigOption: RigOption

    @Option(name: .long, help: "Load address of a .bin image (default 0x60000000, the start of FlexSPI NOR).")
    var address: String?

    @Flag(name: .long, help: "Flash even if the board already runs this image.")
    var force = false

    @Flag(name: .shortAndLong, help: "Show every step as it happens.")
    var verbose = false

    func run() async throws {
      throw await execute()
    }

    private func execute() async -> ExitCode {
      do {
        let loadAddress = try parsedAddress()
        let rigConfiguration = try rigOption.load()
        let imageURL = URL(fileURLWithPath: image)
        if let issue = FlasherRequirement.issue(image: imageURL, rig: rigConfiguration) {
          throw ConfigError([issue])
        }
        // Check the image before touching the bench.
        let checked = try FirmwareImageReader.read(
          imageURL, binAddress: loadAddress,
          flashSize: rigConfiguration.simulation?.flash.sizeBytes ?? RT1062MemoryMap.defaultFlashSize,
          files: LocalFileAccess())
        Terminal.out(
          "\(imageURL.displayPath): \(checked.bytes.count) bytes at \(hex32(checked.loadAddress)), sha256 \(checked.hash)")
        let lock = try RigLock.acquire(rig: rigConfiguration, purpose: "rig flash \(image)")
        defer { lock.release() }
        let (bench, kind) = try await BenchFactory.open(rigConfiguration, verbose: verbose)
        Terminal.out("on '\(rigConfiguration.name)' (\(kind))")
        let verbose = self.verbose
        let meter = ProgressMeter()
        let trap = SignalTrap(notice: "switching the board off")
        let outcome = await trap.run {
          await ManualFlash.run(
            image: imageURL, address: loadAddress, bench: bench, force: force, files: LocalFileAccess(),
            events: { Self.show($0, verbose: verbose) }, progress: { meter.show($0) })
        }
        await bench.close()
        switch outcome {
        case .done:
          return .success
        case .failed(let why):
          Terminal.error("error: \(why)")
          return ExitCode(ExitStatus.testErrored.rawValue)
        case .interrupted:
          let signal = trap.reason ?? "cancellation"
          Terminal.error("interrupted by \(signal): the board was switched off")
          return ExitCode(ExitStatus(interruption: signal).rawValue)
        }
      } catch {
        return Failure.exit(error)
      }
    }

    private func parsedAddress() throws -> UInt32? {
      guard let address else { return nil }
      let lowered = address.lowercased()
      guard let value = lowered.hasPrefix("0x") ? UInt32(lowered.dropFirst(2), radix: 16) : UInt32(lowered) else {
        throw ValidationError("--address \(address) is not an address; write it in hex, such as 0x60000000")
      }
      return value
    }

    private static func show(_ event: RunEvent, verbose: Bool) {
      switch event {
      case .flash(let report):
        if report.skipped {
          Terminal.out("not flashed: \(report.reason ?? "the board already runs this image") (use --force to flash anyway)")
        } else {
          var line = "flashed \(report.bytes) bytes in \(MetricFormat.format3(report.seconds)) s "
            + "(\(Int(report.bytesPerSecond)) bytes/s overall) with \(report.method)"
          if let link = report.linkBytesPerSecond { line += "; line rate \(Int(link)) bytes/s" }
          Terminal.out(line)
        }
      case .boardState(let change):
        if verbose || change.state == "booted" { Terminal.out("board \(change.state): \(change.detail)") }
      case .note(let note):
        if verbose || note.level != .info { Terminal.out("\(note.level.rawValue): \(note.message)") }
      default:
        break
      }
    }
  }
}

/// One progress line per stage, with bytes and bytes/s, as a flash goes.
final class ProgressMeter: Sendable {
  private let last = Locked<(stage: String, percent: Int)>(("", -1))

  func show(_ progress: FlashProgress) {
    let percent = progress.total > 0 ? progress.done * 100 / progress.total : 0
    // A line per stage start and per 25 %, so logs stay short.
    let print = last.withLock { state -> Bool in
      let due = state.stage != progress.stage || percent / 25 > state.percent / 25
      if due { state = (progress.stage, percent) }
      return due
    }
    guard print else { return }
    var line = "  \(progress.stage): \(progress.done)/\(progress.total) bytes (\(percent) %)"
    if progress.bytesPerSecond > 0 { line += ", \(Int(progress.bytesPerSecond)) bytes/s" }
    Terminal.out(line)
  }
}

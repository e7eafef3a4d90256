// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem
import RigHardware

extension Rig {
  struct Power: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Switch a rig's DUT power on or off, cycle it, or pulse its reset.",
      discussion: """
        Drives only the power switch (or the reset line for 'reset'), with the rig file's delays; \
        'cycle' holds power off for timing.power_off. The rig's lock is taken, so this never \
        fights a run on the same rig. After rig exits, a GPIO or FTDI output keeps its level \
        until something else claims it. Exit code 69 when the hardware is absent.
        """)

    enum Action: String, ExpressibleByArgument, CaseIterable {
      case on, off, cycle, reset
    }

    @Argument(help: "on, off, cycle or reset.")
    var action: Action

    @OptionGroup var rigOption: RigOption

    func run() async throws {
      do {
        let configuration = try rigOption.load()
        _ = try BenchFactory.requireHardware(configuration, for: "power")
        let lock = try RigLock.acquire(
          rig: configuration, purpose: "rig power \(action.rawValue)")
        defer { lock.release() }
        try await perform(configuration)
      } catch {
        throw Failure.exit(error)
      }
    }

    private func perform(_ rig: RigConfiguration) async throws {
      if action == .reset {
        guard rig.hardware?.reset != nil else {
          throw RigError(
            .configInvalid, "\(rig.file.displayPath): rig '\(rig.name)' has no reset: section")
        }
        let bench = try await HardwareBench.open(rig, parts: [.reset], logger: BenchFactory.logger)
        do {
          try await bench.reset?.pulse()
        } catch {
          await bench.close()
          throw error
        }
        await bench.close()
        Terminal.out("reset: rig '\(rig.name)' pulsed")
        return
      }
      // Requested at the level it will end at, so a supply already there never blinks.
      let bench = try await HardwareBench.open(
        rig, parts: [.power], powerInitial: action == .on ? .on : .off, logger: BenchFactory.logger)
      do {
        guard let power = bench.power else {
          throw RigError(.internal, "the power switch was not opened")
        }
        switch action {
        case .on: try await power.set(.on)
        case .off: try await power.set(.off)
        case .cycle:
          try await power.set(.off)
          try await Task.sleep(for: rig.timing.powerOffTime)
          try await power.set(.on)
        case .reset: break
        }
      } catch {
        await bench.close()
        throw error
      }
      await bench.close()
      let done =
        switch action {
        case .on: "on"
        case .off: "off"
        case .cycle: "cycled (off for \(DurationParser.format(rig.timing.powerOffTime)), now on)"
        case .reset: ""
        }
      Terminal.out("power: rig '\(rig.name)' \(done)")
    }
  }
}

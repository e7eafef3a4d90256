// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import RigCore
import RigSystem

@main
struct Rig: AsyncParsableCommand {
  static let version = "0.1.0"

  static func main() async {
    MallocArenas.limit()
    SignalRelay.ignoreBrokenPipes()
    await main(nil)
  }

  static let configuration = CommandConfiguration(
    commandName: "rig",
    abstract: "Hardware-in-the-loop test benches for people-counting firmware.",
    discussion: """
      rig flashes a board, plays camera clips into it through a SPI camera emulator, collects the \
      people counts, latency and RAM it reports, scores them against labels and limits, and \
      writes JUnit for CI. Without hardware it runs on the simulated bench built into it \
      (--rig sim; Rigs/sim.yaml when the current folder has it).

      Exit codes: 0 all passed, 1 a test failed, 2 a test errored (rig fault), 3 bench degraded \
      (every test ran and passed, but a rig was quarantined, taken out or unavailable: an \
      infrastructure problem, not a firmware one), 64 usage, 66 no such input (rig report), \
      69 hardware unavailable, 73 report folder cannot be created, 74 the run's evidence could \
      not all be written, 78 bad configuration, 128+n stopped by signal n (129 SIGHUP, \
      130 SIGINT, 131 SIGQUIT, 141 SIGPIPE, 143 SIGTERM) with the bench off and reports written.
      """,
    version: version,
    subcommands: [
      Run.self, TestOne.self, List.self, Validate.self, Reports.self, Fixtures.self, Flash.self,
      Devices.self, Doctor.self, Power.self, Console.self, Emulator.self, Sim.self, Health.self,
      History.self, Baseline.self, Compare.self,
    ]
  )
}

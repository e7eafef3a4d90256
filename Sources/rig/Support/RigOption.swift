// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import RigCore
import RigSystem

/// `--rig` of every command that works on one bench (flash, console, power, doctor, emulator
/// selftest, sim board), with the one default `rig run` has: Rigs/sim.yaml when the current
/// folder has it, else the built-in simulated bench (`RigLoader.load(reference:)`). A command that
/// needs hardware says so once the rig is loaded (`BenchFactory.requireHardware`), so leaving
/// `--rig` out and naming a simulated rig get the same explanation.
struct RigOption: ParsableArguments {
  @Option(name: .long, help: RunOptions.rigHelp)
  var rig: String?

  /// The rig named, or the default one.
  func load() throws(ConfigError) -> RigConfiguration {
    try RigLoader.load(reference: rig, files: LocalFileAccess())
  }
}

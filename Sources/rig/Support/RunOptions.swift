// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore

/// Options shared by the commands that run tests on a bench.
struct RunOptions: ParsableArguments {
  @Option(name: .long, help: RunOptions.rigHelp)
  var rig: String?

  /// The help of every `--rig` that may be left out.
  static let rigHelp = ArgumentHelp(
    "Rig file describing the bench, or 'sim' for the built-in simulated bench.",
    discussion: "Without --rig: Rigs/sim.yaml when the current folder has it, else the built-in "
      + "simulated bench.")

  @Option(name: .long, help: "Folder for run reports; each run writes a subfolder named by its run ID.")
  var reports: String = "Reports"

  /// The rig to use (`RigLoader.load(reference:)`).
  func loadRig() throws(ConfigError) -> RigConfiguration {
    try RigLoader.load(reference: rig)
  }
}

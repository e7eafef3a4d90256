// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem

/// Options shared by the commands that run tests on a bench.
struct RunOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Rig file describing the bench, or 'sim' for the built-in simulated bench.",
      discussion: "Without --rig: Rigs/sim.yaml when the current folder has it, else the built-in "
        + "simulated bench. rig run takes it more than once for a pool of rigs that share the "
        + "suite's tests (docs/farm.md)."))
  var rig: [String] = []

  /// The help of every `--rig` that may be left out.
  static let rigHelp = ArgumentHelp(
    "Rig file describing the bench, or 'sim' for the built-in simulated bench.",
    discussion: "Without --rig: Rigs/sim.yaml when the current folder has it, else the built-in "
      + "simulated bench.")

  @Option(name: .long, help: "Folder for run reports; each run writes a subfolder named by its run ID.")
  var reports: String = "Reports"

  @Flag(
    name: .customLong("no-flash"),
    help: """
      Never flash: run on the image the board holds. The report says which image ran and whether \
      it is the suite's. A suite naming firmware on a rig without flasher: needs it.
      """)
  var noFlash = false

  @Option(
    name: .long,
    help: "Seed of the simulated bench for this run instead of the rig file's (also RIG_SEED); recorded as sim.seed.")
  var seed: UInt64?

  /// The rig to use on one rig (`RigLoader.load(reference:)`).
  func loadRig() throws(ConfigError) -> RigConfiguration {
    try RigLoader.load(reference: rig.first, files: LocalFileAccess())
  }

  /// The rig file of a run on one rig, as a pool names its rigs.
  var rigURL: URL {
    URL(fileURLWithPath: rig.first ?? "Rigs/sim.yaml")
  }

  /// The rig with this run's seed: `--seed`, else `RIG_SEED`, else the rig file's own. A hardware
  /// rig has no seed: `--seed` with one is a usage error; `RIG_SEED` (which a CI job may set for
  /// every run) is left unused.
  /// - Throws: `RigError(.usage)` for `--seed` with a hardware rig or a `RIG_SEED` that is not a
  ///   whole number.
  func seeded(
    _ rig: RigConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> RigConfiguration {
    var chosen = seed
    if chosen == nil, let text = environment["RIG_SEED"], !text.isEmpty {
      guard let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
        throw RigError(.usage, "RIG_SEED=\(text) is not a seed: use a whole number from 0 to \(UInt64.max)")
      }
      chosen = value
    }
    guard let chosen else { return rig }
    guard var simulation = rig.simulation else {
      if seed != nil {
        throw RigError(
          .usage, "--seed applies to the simulated bench; \(rig.name) (\(rig.file.displayPath)) is real hardware")
      }
      return rig
    }
    simulation.seed = chosen
    var seeded = rig
    seeded.simulation = simulation
    return seeded
  }
}

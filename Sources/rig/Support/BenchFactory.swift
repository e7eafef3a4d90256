// SPDX-License-Identifier: Apache-2.0
import RigCore
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
    let simulated = SimulatedBench(settings: settings, rig: rig)
    return (simulated.bench(), "simulated bench (seed \(settings.seed))")
  }
}

// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation

/// Options shared by the commands that run tests on a bench.
struct RunOptions: ParsableArguments {
  @Option(name: .long, help: "Rig file describing the bench (default: Rigs/sim.yaml, the simulated bench).")
  var rig: String?

  @Option(name: .long, help: "Folder for run reports; each run writes a subfolder named by its run ID.")
  var reports: String = "Reports"

  @Flag(
    name: .customLong("no-flash"),
    help: """
      Never flash: run on the image the board holds. The report says which image ran and whether \
      it is the suite's. A suite naming firmware on a rig without flasher: needs it.
      """)
  var noFlash = false

  /// The rig file to use.
  var rigURL: URL {
    URL(fileURLWithPath: rig ?? "Rigs/sim.yaml")
  }
}

// SPDX-License-Identifier: Apache-2.0
import ArgumentParser

extension Rig {
  /// The simulated bench, or parts of it, run on their own for tools that talk to real devices.
  struct Sim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run the simulated board, or parts of it, on their own for other tools to talk to.",
      subcommands: [SimBoard.self, SimPower.self, SimROM.self, SimEmulator.self])
  }
}

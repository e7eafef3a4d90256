// SPDX-License-Identifier: Apache-2.0
import ArgumentParser

extension Rig {
  /// Parts of the simulated bench, run on their own for tools that talk to real devices.
  struct Sim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run parts of the simulated bench on their own, for other tools to talk to.",
      subcommands: [SimBoard.self, SimPower.self, SimROM.self, SimEmulator.self])
  }
}

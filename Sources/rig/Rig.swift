// SPDX-License-Identifier: Apache-2.0
import ArgumentParser

@main
struct Rig: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rig",
    abstract: "Hardware-in-the-loop test benches for people-counting firmware.",
    subcommands: []
  )
}

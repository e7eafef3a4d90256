// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore

extension Rig {
  /// The power switch of a standalone simulated board, for a hardware rig file's power command.
  struct SimPower: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "power",
      abstract: "Switch the supply of a board served by `rig sim board`.",
      discussion: """
        Returns once the board has switched. A hardware rig file uses it as its power switch: \
        power: { command: { on: [rig, sim, power, DIR, on], off: [rig, sim, power, DIR, off] } }. \
        Exit 0 when done, 69 when no board listens in DIR.
        """)

    enum Action: String, ExpressibleByArgument, CaseIterable {
      case on, off, status
    }

    @Argument(help: "The board's folder (rig sim board --dir).")
    var dir: String

    @Argument(help: "on, off or status.")
    var action: Action

    func run() async throws {
      let path = URL(fileURLWithPath: dir).standardizedFileURL
        .appendingPathComponent(PowerControlSocket.fileName).path
      do {
        let reply = try PowerControlSocket.send(action.rawValue, to: path)
        if reply.hasPrefix("error") {
          throw RigError(.hardwareFault, "the simulated board on \(path): \(reply)")
        }
        Terminal.out("power: \(reply)")
      } catch {
        throw Failure.exit(error)
      }
    }
  }
}

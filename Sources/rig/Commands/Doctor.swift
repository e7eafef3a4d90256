// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem
import RigHardware

extension Rig {
  struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check that everything a rig file names is present and accessible.",
      discussion: """
        Checks device nodes and their permissions, group membership (dialout, gpio, plugdev), the \
        udev rules file, GPIO lines (present, and not held by another program), FTDI chips, the \
        programs of command power and of the flasher, without driving anything; when the camera \
        emulator's port is there, whether the emulator answers its link handshake within \
        --handshake-timeout. Prints one line per check, with the fix for each problem. Exit code 0 \
        when all is usable, 69 when hardware is missing or inaccessible, 78 when the rig file is \
        wrong.
        """)

    @OptionGroup var rigOption: RigOption

    @Option(name: .long, help: "How long the camera emulator has to answer its handshake.")
    var handshakeTimeout: String = "3s"

    func run() async throws {
      let configuration: RigConfiguration
      do {
        configuration = try rigOption.load()
      } catch {
        throw Failure.exit(error)
      }
      let checks = await RigDoctor().check(configuration, handshakeWithin: limit)
      for check in checks { Terminal.out(check.description) }
      let status = RigDoctor.exitStatus(checks)
      let problems = checks.filter { $0.status == .problem || $0.status == .badConfig }.count
      let warnings = checks.filter { $0.status == .warning }.count
      Terminal.out(
        problems == 0
          ? "rig '\(configuration.name)' looks ready"
            + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : "")
          : "\(problems) problem\(problems == 1 ? "" : "s") found")
      if status != .allPassed { throw ExitCode(status.rawValue) }
    }

    private var limit: Duration {
      DurationParser.parse(handshakeTimeout) ?? .seconds(3)
    }

    func validate() throws {
      guard let limit = DurationParser.parse(handshakeTimeout), limit > .zero else {
        throw ValidationError("--handshake-timeout must be a duration such as 3s or 500ms")
      }
    }
  }
}

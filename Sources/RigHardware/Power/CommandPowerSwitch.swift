// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging
import RigCore
import RigSystem

/// The DUT's supply switched by external programs, one per direction: a USB hub's port power
/// (`uhubctl -l 1-1 -p 2 -a on`), a network PDU's command-line tool. Each runs from its argv,
/// never through a shell, within its timeout; a failure quotes the command and its output.
public struct CommandPowerSwitch: PowerSwitch {
  public let on: HardwareSettings.Command
  public let off: HardwareSettings.Command
  public let onDelay: Duration
  public let offDelay: Duration
  private let logger: Logger
  private let runner: any CommandRunner

  /// A switch running `on` and `off`, waiting the delays after each.
  public init(
    on: HardwareSettings.Command, off: HardwareSettings.Command, onDelay: Duration = .zero,
    offDelay: Duration = .zero, logger: Logger, runner: any CommandRunner = ChildProcessRunner()
  ) {
    self.runner = runner
    self.on = on
    self.off = off
    self.onDelay = onDelay
    self.offDelay = offDelay
    self.logger = logger
  }

  public func set(_ state: PowerState) async throws {
    let command = state == .on ? on : off
    let result = try await runner.run(command, purpose: "power \(state.rawValue)")
    let printed = (result.stdout + result.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
    logger.debug(
      "power \(state.rawValue): `\(command)` done\(printed.isEmpty ? "" : ": \(printed)")")
    try await Roles.taskSleep(state == .on ? onDelay : offDelay)
  }
}

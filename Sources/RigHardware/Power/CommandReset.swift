// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigSystem

/// The DUT reset by an external program run from its argv, never through a shell.
public struct CommandReset: ResetControl {
  public let command: HardwareSettings.Command
  private let runner: any CommandRunner

  /// A reset that runs `command`.
  public init(command: HardwareSettings.Command, runner: any CommandRunner = ChildProcessRunner()) {
    self.command = command
    self.runner = runner
  }

  public func pulse() async throws {
    _ = try await runner.run(command, purpose: "reset")
  }
}

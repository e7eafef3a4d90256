// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The DUT reset by an external program run from its argv, never through a shell.
public struct CommandReset: ResetControl {
  public let command: HardwareSettings.Command

  /// A reset that runs `command`.
  public init(command: HardwareSettings.Command) {
    self.command = command
  }

  public func pulse() async throws {
    _ = try await ExternalCommand.run(command, purpose: "reset")
  }
}

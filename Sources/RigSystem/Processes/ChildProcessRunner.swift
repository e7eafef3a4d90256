// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The command runner of a real bench: finds the program (`ProgramSearch`), then runs it as a
/// `ChildProcess` within the command's time limit.
public struct ChildProcessRunner: CommandRunner {
  public init() {}

  public func execute(_ command: HardwareSettings.Command, purpose: String) async throws
    -> CommandExecution
  {
    let executable = try ProgramSearch.locate(command.argv[0], purpose: purpose)
    do {
      return try await ChildProcess.run(
        executable, Array(command.argv.dropFirst()), timeLimit: command.timeout)
    } catch let error as SystemError {
      throw RigError(
        .hardwareUnavailable,
        "\(purpose): cannot start `\(command)`: \(error.reason) "
          + "(is \(executable) a program for this machine?)")
    }
  }
}

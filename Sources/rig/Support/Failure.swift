// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import RigCore

/// Prints why a command cannot go on and turns it into the exit code DESIGN §7 assigns.
enum Failure {
  static func exit(_ error: any Error) -> ExitCode {
    switch error {
    case let config as ConfigError:
      for issue in config.issues { Terminal.error("error: \(issue)") }
      let n = config.issues.count
      Terminal.error("\(n) problem\(n == 1 ? "" : "s") found; nothing was run")
      return ExitCode(ExitStatus.badConfiguration.rawValue)
    case let rig as RigError:
      Terminal.error("error: \(rig)")
      return ExitCode(ExitStatus(error: rig).rawValue)
    case let exit as ExitCode:
      return exit
    default:
      // Never Foundation's raw dump (`Error Domain=NSCocoaErrorDomain Code=513 …`).
      Terminal.error("error: \(ErrorText.describe(error))")
      return ExitCode(ExitStatus.software.rawValue)
    }
  }
}

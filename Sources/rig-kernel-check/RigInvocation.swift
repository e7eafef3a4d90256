// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigSystem

/// The `rig` executable run to its end as a user would run it from a shell, through rig's own
/// child-process runner (swift-subprocess: posix_spawn and a pidfd, no socket pair, which the
/// guest kernel, built without IPv4, could not make for Foundation's Process).
struct RigInvocation {
  var status: Int32
  var output: Data
  var errors: String

  /// Everything it printed, stdout then stderr.
  var text: String { String(decoding: output, as: UTF8.self) + errors }

  /// Runs `path` with `arguments` and waits for it to exit (five minutes at most).
  static func run(_ path: String, _ arguments: [String]) async throws -> RigInvocation {
    let execution = try await ChildProcess.run(
      path, arguments, timeLimit: .seconds(300), outputLimit: 1 << 20)
    guard let status = ChildProcess.shellStatus(execution.end) else {
      throw CheckFailure("\(path) \(arguments.joined(separator: " ")) ran past five minutes")
    }
    return RigInvocation(status: status, output: Data(execution.stdout.utf8), errors: execution.stderr)
  }
}

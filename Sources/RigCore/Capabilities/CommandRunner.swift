// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs external programs from an argv list, never through a shell, within a time limit: power
/// and reset through `uhubctl` or a PDU's CLI, an external flasher. RigCore decides what to run
/// and what the outcome means; the process itself is RigSystem's (`ChildProcessRunner`).
public protocol CommandRunner: Sendable {
  /// Runs `command` to its end, whatever the end is. The time limit covers the start too; a
  /// program still running at it gets SIGTERM, then SIGKILL.
  /// - Throws: `RigError(.hardwareUnavailable)` when the program is not there or cannot be
  ///   started, naming `purpose` ("power on"); `CancellationError` when the calling task was
  ///   cancelled (the program is stopped the same way).
  func execute(_ command: HardwareSettings.Command, purpose: String) async throws -> CommandExecution
}

/// How a command ended and what it printed (the last 64 KiB of each stream).
public struct CommandExecution: Sendable, Equatable {
  public enum End: Sendable, Equatable {
    /// Exited with this status.
    case exited(Int32)
    /// Killed by this signal (not by rig).
    case signalled(Int32)
    /// Killed by rig at its time limit.
    case timedOut
  }

  public var end: End
  public var stdout: String
  public var stderr: String

  public init(end: End, stdout: String, stderr: String) {
    self.end = end
    self.stdout = stdout
    self.stderr = stderr
  }

  /// Both streams, trimmed to their last lines, for a message; " (no output)" when there was none.
  public func describeOutput(prefix: String) -> String {
    let text = [stdout, stderr]
      .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      .filter { !$0.isEmpty }
      .joined(separator: "\n")
    guard !text.isEmpty else { return " (no output)" }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var tail = lines.suffix(20).joined(separator: "\n")
    if tail.count > 2000 { tail = "…" + tail.suffix(2000) }
    return prefix + (lines.count > 20 ? "…\n" : "") + tail
  }
}

extension CommandRunner {
  /// Runs `command` and returns its output; `purpose` starts every message ("power on").
  /// - Throws: as `execute`, and `.toolFailed` for a non-zero exit or a signal, `.timedOut` when it
  ///   was killed at its limit; each message quotes the command and the end of its output.
  public func run(_ command: HardwareSettings.Command, purpose: String) async throws
    -> CommandExecution
  {
    let execution = try await execute(command, purpose: purpose)
    let quoted = "`\(command)`"
    switch execution.end {
    case .exited(0):
      return execution
    case .exited(let status):
      throw RigError(
        .toolFailed,
        "\(purpose): \(quoted) exited with status \(status)" + execution.describeOutput(prefix: ": "))
    case .signalled(let signal):
      throw RigError(
        .toolFailed,
        "\(purpose): \(quoted) was killed by signal \(signal)" + execution.describeOutput(prefix: ": "))
    case .timedOut:
      throw RigError(
        .timedOut,
        "\(purpose): \(quoted) did not finish within \(DurationParser.format(command.timeout)) "
          + "and was killed" + execution.describeOutput(prefix: "; output so far: "))
    }
  }
}

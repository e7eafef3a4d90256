// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigSystem

#if canImport(Glibc)
  import Glibc
#endif

/// A program run by a test as a real child process, through rig's own child-process runner
/// (`RunningProcess`): output captured in files (so a chatty child can never block on a full
/// pipe), a deadline on every wait, signals on demand.
public final class TestProcess: Sendable {
  public let process: RunningProcess
  private let outURL: URL
  private let errURL: URL

  /// Starts `executable` in `directory`; `input` is a descriptor for its standard input (-1:
  /// /dev/null) and `output` one for its standard output (-1: a file `stdout` reads), both the
  /// caller's.
  public init(
    _ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
    input: Int32 = -1, output: Int32 = -1
  ) async throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rig-child-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    outURL = scratch.appendingPathComponent("stdout")
    errURL = scratch.appendingPathComponent("stderr")
    let out = open(outURL.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    let err = open(errURL.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    defer {
      close(out)
      close(err)
    }
    guard out >= 0, err >= 0 else { throw SystemError.last("open", scratch.path) }
    process = try await RunningProcess.start(
      executable.path, arguments, environment: environment, workingDirectory: directory.path,
      input: input, output: output >= 0 ? output : out, error: err)
  }

  /// What the child printed so far.
  public var stdout: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }
  public var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }

  /// Its process id.
  public var pid: pid_t { process.pid }

  /// Whether it still runs.
  public var isRunning: Bool { process.isRunning }

  /// Sends a signal (SIGINT, SIGTERM, SIGKILL).
  public func signal(_ number: Int32) {
    process.signal(number)
  }

  /// Waits for the child to exit and returns its status as a shell shows it (128 + the signal
  /// for a killed child); kills it and returns nil if it is still running at the deadline
  /// (`timeout` × `TestTime.scale`).
  public func wait(timeout: Duration = .seconds(120)) async -> Int32? {
    guard let end = await process.wait(until: TestTime.deadline(in: timeout)) else {
      process.signal(SIGKILL)
      await process.stop()
      return nil
    }
    return ChildProcess.shellStatus(end)
  }

  /// Waits until `condition` holds, checking every 10 ms; false at the deadline.
  public static func eventually(
    within timeout: Duration = .seconds(30), _ condition: () -> Bool
  ) async -> Bool {
    let deadline = TestTime.deadline(in: timeout)
    while !condition() {
      if ContinuousClock.now >= deadline { return false }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return true
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore
import Subprocess

#if canImport(Glibc)
  import Glibc
#endif
#if canImport(System)
  import System
#else
  import SystemPackage
#endif

/// The one way rig runs a program: swift-subprocess underneath, from an argv list and never
/// through a shell, with a time limit that covers the start, the end of each output stream kept,
/// and the program stopped with SIGTERM, then SIGKILL after `killGrace`, when the limit passes
/// or the calling task is cancelled.
public enum ChildProcess {
  /// After SIGTERM, how long a program gets before SIGKILL.
  public static let killGrace: Duration = .milliseconds(500)
  /// Output kept per stream by default; a chatty tool cannot fill memory.
  public static let defaultOutputLimit = 64 * 1024

  /// Runs `executable` (a path) with `arguments` to its end.
  /// - Parameters:
  ///   - environment: variables set on top of rig's own environment.
  ///   - timeLimit: from before the start; the program is stopped at it (`.timedOut`).
  ///   - outputLimit: bytes kept of each stream, the last ones.
  /// - Throws: `SystemError` (call "spawn") when the program cannot be started;
  ///   `CancellationError` when the calling task was cancelled (the program is stopped).
  public static func run(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:],
    workingDirectory: String? = nil, timeLimit: Duration, outputLimit: Int = defaultOutputLimit
  ) async throws -> CommandExecution {
    let stdout = OutputTail(limit: outputLimit)
    let stderr = OutputTail(limit: outputLimit)
    let timedOut = Locked(false)
    let deadline = ContinuousClock.now + timeLimit
    let configuration = Configuration(
      executable: .path(FilePath(executable)), arguments: Arguments(arguments),
      environment: environment.isEmpty ? .inherit : .inherit.updating(keyed(environment)),
      workingDirectory: workingDirectory.map { FilePath($0) }, platformOptions: stoppingOptions())
    let pid = Locked<pid_t?>(nil)
    let status: TerminationStatus? = try await withThrowingTaskGroup(of: TerminationStatus?.self) {
      group in
      group.addTask { try await capture(configuration, into: stdout, stderr, pid: pid) }
      group.addTask {
        try? await Task.sleep(until: deadline)
        return nil
      }
      defer { group.cancelAll() }
      do {
        while let finished = try await group.next() {
          if let finished { return finished }
          // The caller was cancelled: the run task is stopping the program already.
          if Task.isCancelled { continue }
          // On a loaded machine the timer can be seen first although the program ended in
          // time: then its status is on the way.
          if let pid = pid.value, hasExited(pid) { continue }
          // The limit passed: stop the program (the cancellation runs the teardown) and wait
          // until it has gone.
          timedOut.set(true)
          group.cancelAll()
        }
      } catch let error as SubprocessError {
        throw startFailure(error, executable: executable)
      } catch is CancellationError where timedOut.value {
        return nil
      }
      return nil
    }
    if timedOut.value {
      return CommandExecution(end: .timedOut, stdout: stdout.text, stderr: stderr.text)
    }
    // The caller was cancelled: the program was stopped for that, whatever its status says.
    try Task.checkCancellation()
    guard let status else { throw CancellationError() }
    let end: CommandExecution.End =
      switch status {
      case .exited(let code): .exited(code)
      case .signaled(let signal): .signalled(signal)
      }
    return CommandExecution(end: end, stdout: stdout.text, stderr: stderr.text)
  }

  /// The exit status a shell would show: the code, or 128 + the signal.
  public static func shellStatus(_ end: CommandExecution.End) -> Int32? {
    switch end {
    case .exited(let code): code
    case .signalled(let signal): 128 + signal
    case .timedOut: nil
    }
  }

  /// SIGTERM, `killGrace`, then SIGKILL: what Subprocess does to a program whose task is cancelled.
  static func stoppingOptions() -> PlatformOptions {
    var options = PlatformOptions()
    options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: killGrace)]
    return options
  }

  static func keyed(_ environment: [String: String]) -> [Environment.Key: String?] {
    var keyed: [Environment.Key: String?] = [:]
    for (name, value) in environment { keyed[Environment.Key(stringLiteral: name)] = value }
    return keyed
  }

  /// Runs the program, reading both streams to their ends.
  private static func capture(
    _ configuration: Configuration, into stdout: OutputTail, _ stderr: OutputTail,
    pid: Locked<pid_t?>
  ) async throws -> TerminationStatus {
    let result = try await Subprocess.run(
      configuration, input: .none, output: .sequence, error: .sequence
    ) { execution in
      pid.set(execution.processIdentifier.value)
      return try await withThrowingTaskGroup(of: Void.self) { streams in
        streams.addTask { try await stdout.read(execution.standardOutput) }
        streams.addTask { try await stderr.read(execution.standardError) }
        try await streams.waitForAll()
      }
    }
    return result.terminationStatus
  }

  /// Whether our child `pid` has ended: a zombie waiting to be reaped (`/proc/<pid>/stat`'s
  /// state), or already reaped (gone).
  static func hasExited(_ pid: pid_t) -> Bool {
    let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return errno == ENOENT }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 512)
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard n > 0, let end = buffer[..<n].lastIndex(of: UInt8(ascii: ")")), end + 2 < n else {
      return false
    }
    // "pid (name) S ...": the state follows the name, whose end is the last ')'.
    let state = buffer[end + 2]
    return state == UInt8(ascii: "Z") || state == UInt8(ascii: "X")
  }

  static func startFailure(_ error: SubprocessError, executable: String) -> SystemError {
    SystemError(code: error.underlyingError?.rawValue ?? ENOEXEC, call: "spawn", path: executable)
  }
}

/// The last `limit` bytes of one output stream, readable while the program still runs.
final class OutputTail: Sendable {
  private let bytes = Locked<[UInt8]>([])
  private let limit: Int

  init(limit: Int) {
    self.limit = limit
  }

  func read(_ stream: SubprocessOutputSequence) async throws {
    for try await buffer in stream {
      buffer.withUnsafeBytes { chunk in
        bytes.withLock { kept in
          kept.append(contentsOf: chunk)
          if kept.count > limit { kept.removeFirst(kept.count - limit) }
        }
      }
    }
  }

  var text: String { bytes.withLock { String(decoding: $0, as: UTF8.self) } }
}

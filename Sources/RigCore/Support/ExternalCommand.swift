// SPDX-License-Identifier: Apache-2.0
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a program from an argv list, never through a shell, with a time limit: power and reset
/// through `uhubctl`, a PDU's CLI, an external flasher.
///
/// Standard output and standard error are captured (the last 64 KiB of each) on a thread of
/// the command's own, and quoted in the error when the program fails, times out (it is then
/// killed) or cannot be started.
public enum ExternalCommand {
  /// How a command ended and what it printed.
  public struct Result: Sendable, Equatable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  /// How a run ended, failed or not.
  public struct Execution: Sendable {
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
  }

  /// Output kept per stream; a chatty tool cannot fill memory.
  static let outputLimit = 64 * 1024
  /// After SIGTERM at the deadline, how long the program gets before SIGKILL.
  static let killGrace: Duration = .milliseconds(500)

  /// Runs `command` and returns its output; `purpose` starts every message ("power on").
  /// - Throws: `RigError(.hardwareUnavailable)` when the program is not there or not executable,
  ///   `.toolFailed` for a non-zero exit or a signal, `.timedOut` when it was killed at its limit.
  public static func run(_ command: HardwareSettings.Command, purpose: String) async throws
    -> Result
  {
    let execution = try await execute(command, purpose: purpose)
    let quoted = "`\(command)`"
    let output = (execution.stdout, execution.stderr)
    switch execution.end {
    case .exited(0):
      return Result(status: 0, stdout: execution.stdout, stderr: execution.stderr)
    case .exited(let status):
      throw RigError(
        .toolFailed,
        "\(purpose): \(quoted) exited with status \(status)" + describe(output, prefix: ": "))
    case .signalled(let signal):
      throw RigError(
        .toolFailed,
        "\(purpose): \(quoted) was killed by signal \(signal)" + describe(output, prefix: ": "))
    case .timedOut:
      throw RigError(
        .timedOut,
        "\(purpose): \(quoted) did not finish within \(DurationParser.format(command.timeout)) "
          + "and was killed" + describe(output, prefix: "; output so far: "))
    }
  }

  /// Runs `command` to its end, whatever the end is.
  /// - Throws: `RigError(.hardwareUnavailable)` when the program is not there or cannot be
  ///   started; `CancellationError` when the calling task was cancelled (the program is killed).
  public static func execute(_ command: HardwareSettings.Command, purpose: String) async throws
    -> Execution
  {
    let executable = try locate(command.argv[0], purpose: purpose)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = Array(command.argv.dropFirst())
    process.standardInput = FileHandle.nullDevice
    let outPipe = Pipe()
    let errPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    let exits = DeadlineQueue<Int32>(capacity: 1)
    process.terminationHandler = { finished in exits.push(finished.terminationStatus) }
    // The limit covers the start too: on a loaded machine starting a program can take seconds.
    let deadline = ContinuousClock.now + command.timeout
    do {
      try process.run()
    } catch {
      let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
      let reason = underlying.flatMap {
        $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : nil
      }
      throw RigError(
        .hardwareUnavailable,
        "\(purpose): cannot start `\(command)`" + (reason.map { ": \($0)" } ?? "")
          + " (is \(executable) a program for this machine?)")
    }
    // The child has its own copies of the write ends; ours must go, or the reader never sees EOF.
    try? outPipe.fileHandleForWriting.close()
    try? errPipe.fileHandleForWriting.close()
    let capture = OutputCapture(
      out: outPipe.fileHandleForReading.fileDescriptor,
      err: errPipe.fileHandleForReading.fileDescriptor,
      limit: outputLimit)
    defer {
      capture.stop()
      try? outPipe.fileHandleForReading.close()
      try? errPipe.fileHandleForReading.close()
    }

    // A cancelled wait ends as nil here too: either way the program is stopped.
    guard let status = try? await exits.next(until: deadline) else {
      let cancelled = Task.isCancelled
      process.terminate()
      if (try? await exits.next(until: .now + killGrace)) == nil {
        kill(process.processIdentifier, SIGKILL)
        // Foundation reports the exit only once every process holding the child's pipes has
        // gone, so a grandchild it left behind would hold this wait; the child itself is dead.
        _ = try? await exits.next(until: .now + .seconds(1))
      }
      await capture.finish(within: .milliseconds(200))
      if cancelled { throw CancellationError() }
      let output = capture.output
      return Execution(end: .timedOut, stdout: output.stdout, stderr: output.stderr)
    }
    // Output can trail the exit a little; a grandchild keeping the pipe open must not hold us.
    await capture.finish(within: .milliseconds(500))
    let output = capture.output
    let end: Execution.End =
      process.terminationReason == .uncaughtSignal ? .signalled(status) : .exited(status)
    return Execution(end: end, stdout: output.stdout, stderr: output.stderr)
  }

  /// The program's path: as given when it has a `/`, else the first match on PATH.
  public static func locate(_ program: String, purpose: String) throws -> String {
    if program.contains("/") {
      guard isExecutable(program) else {
        let exists = FileManager.default.fileExists(atPath: program)
        throw RigError(
          .hardwareUnavailable,
          "\(purpose): \(program) "
            + (exists
              ? "is not executable (chmod +x it)"
              : "does not exist (check the path in the rig file)"))
      }
      return program
    }
    if let found = search(program) { return found }
    throw RigError(
      .hardwareUnavailable,
      "\(purpose): program '\(program)' not found on PATH "
        + "(install it, or write its full path in the rig file)"
    )
  }

  /// `program` on PATH, or nil.
  public static func search(_ program: String) -> String? {
    let path =
      ProcessInfo.processInfo.environment["PATH"]
      ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    for directory in path.split(separator: ":") where !directory.isEmpty {
      let candidate = "\(directory)/\(program)"
      if isExecutable(candidate) { return candidate }
    }
    return nil
  }

  /// A regular file with an execute bit that this user may execute. (`access(X_OK)` alone says
  /// yes to root for any file.)
  public static func isExecutable(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o111 != 0 else {
      return false
    }
    return access(path, X_OK) == 0
  }

  /// Both streams for a message, trimmed to their last lines; empty when there was no output.
  static func describe(_ output: (stdout: String, stderr: String), prefix: String) -> String {
    let text = [output.stdout, output.stderr]
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

/// Reads a child's standard output and error on a thread of its own until both close, keeping
/// the last `limit` bytes of each.
private final class OutputCapture: @unchecked Sendable {
  // @unchecked: the descriptors are fixed after init; the thread is the only reader, `text`
  // is behind a lock, and `stop()` ends the thread before the caller closes the descriptors.
  private let fds: (Int32, Int32)
  private let limit: Int
  private let text = Mutex<([UInt8], [UInt8])>(([], []))
  private let done = DeadlineQueue<Bool>(capacity: 1)
  private let wake: (read: Int32, write: Int32)
  private let ended = DispatchSemaphore(value: 0)
  private let stopping = Mutex(false)

  init(out: Int32, err: Int32, limit: Int) {
    fds = (out, err)
    self.limit = limit
    var pipeFDs: [Int32] = [-1, -1]
    _ = pipe(&pipeFDs)
    wake = (pipeFDs[0], pipeFDs[1])
    let thread = Thread { [self] in
      loop()
      done.push(true)
      ended.signal()
    }
    thread.name = "rig command output"
    thread.start()
  }

  var output: (stdout: String, stderr: String) {
    text.withLock { (String(decoding: $0.0, as: UTF8.self), String(decoding: $0.1, as: UTF8.self)) }
  }

  /// Waits until both streams closed, or `within` passed.
  func finish(within: Duration) async {
    _ = try? await done.next(until: .now + within)
  }

  func stop() {
    let first = stopping.withLock { s -> Bool in
      defer { s = true }
      return !s
    }
    guard first else { return }
    var one: UInt8 = 1
    _ = Glibc.write(wake.write, &one, 1)
    ended.wait()
    Glibc.close(wake.read)
    Glibc.close(wake.write)
  }

  private func loop() {
    var open = [true, true]
    var buffer = [UInt8](repeating: 0, count: 4096)
    while open[0] || open[1] {
      var polled = [
        pollfd(fd: open[0] ? fds.0 : -1, events: Int16(POLLIN), revents: 0),
        pollfd(fd: open[1] ? fds.1 : -1, events: Int16(POLLIN), revents: 0),
        pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
      ]
      if poll(&polled, 3, -1) < 0 {
        if errno == EINTR { continue }
        return
      }
      if polled[2].revents != 0 { return }
      for stream in 0..<2 where open[stream] && polled[stream].revents != 0 {
        let n = buffer.withUnsafeMutableBytes {
          Glibc.read(polled[stream].fd, $0.baseAddress, $0.count)
        }
        if n > 0 {
          text.withLock { t in
            if stream == 0 { append(&t.0, buffer[0..<n]) } else { append(&t.1, buffer[0..<n]) }
          }
        } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
          open[stream] = false
        }
      }
    }
  }

  private func append(_ kept: inout [UInt8], _ bytes: ArraySlice<UInt8>) {
    kept += bytes
    if kept.count > limit { kept.removeFirst(kept.count - limit) }
  }
}

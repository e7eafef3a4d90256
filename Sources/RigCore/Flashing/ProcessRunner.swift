// SPDX-License-Identifier: Apache-2.0
import Foundation
import Synchronization

/// Runs a program without a shell and waits for it, killing it at its timeout. Nothing blocks a
/// concurrency thread: the exit and the end of the output arrive as async events.
public enum ProcessRunner {
  /// How a run ended.
  public struct Outcome: Sendable {
    /// Exit status, or nil when it was killed at the timeout.
    public var status: Int32?
    /// stdout and stderr together, in arrival order.
    public var output: String
  }

  /// Runs `argv` (the program is looked up on PATH unless it contains a `/`).
  public static func run(_ argv: [String], timeout: Duration) async throws -> Outcome {
    guard let program = argv.first, let executable = locate(program) else {
      throw RigError(
        .toolFailed, "program '\(argv.first ?? "")' not found on PATH; install it or give its full path")
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = Array(argv.dropFirst())
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    let collected = Mutex(Data())
    let exited = AsyncStream<Int32>.makeStream()
    let drained = AsyncStream<Void>.makeStream()
    process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
    pipe.fileHandleForReading.readabilityHandler = { handle in
      let data = handle.availableData
      if data.isEmpty {
        handle.readabilityHandler = nil
        drained.continuation.finish()
      } else {
        collected.withLock { $0.append(data) }
      }
    }
    try process.run()
    let status: Int32? = await withTaskGroup(of: Int32?.self) { group in
      group.addTask {
        var iterator = exited.stream.makeAsyncIterator()
        return await iterator.next()
      }
      group.addTask {
        try? await Task.sleep(for: timeout)
        return nil
      }
      let first = await group.next() ?? nil
      if first == nil && process.isRunning {
        process.terminate()
        try? await Task.sleep(for: .seconds(2))
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      }
      exited.continuation.finish()
      group.cancelAll()
      return first
    }
    // The output ends when the program (and anything it started) closes the pipe; wait briefly.
    await withTaskGroup(of: Void.self) { group in
      group.addTask { for await _ in drained.stream {} }
      group.addTask { try? await Task.sleep(for: .seconds(2)) }
      await group.next()
      drained.continuation.finish()
      group.cancelAll()
    }
    let output = collected.withLock { String(decoding: $0, as: UTF8.self) }
    return Outcome(status: status, output: output)
  }

  static func locate(_ program: String) -> URL? {
    if program.contains("/") {
      return FileManager.default.isExecutableFile(atPath: program) ? URL(fileURLWithPath: program) : nil
    }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = "\(folder)/\(program)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
    }
    return nil
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import Synchronization

/// Runs a program without a shell and waits for it, killing it at its timeout.
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
    let drained = DispatchSemaphore(value: 0)
    let exited = AsyncStream<Int32>.makeStream()
    process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
    try process.run()
    let reader = pipe.fileHandleForReading
    DispatchQueue.global().async {
      while true {
        let data = reader.availableData
        if data.isEmpty { break }
        collected.withLock { $0.append(data) }
      }
      drained.signal()
    }
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
    _ = drained.wait(timeout: .now() + 2)
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

// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A program run by a test as a real child process: output captured in files (so a chatty child
/// can never block on a full pipe), a deadline on every wait, signals on demand.
public final class ChildProcess: @unchecked Sendable {
  // @unchecked: `process` is only touched by the test that owns this value.
  public let process = Process()
  private let outURL: URL
  private let errURL: URL

  public init(
    _ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:]
  ) throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rig-child-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    outURL = scratch.appendingPathComponent("stdout")
    errURL = scratch.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    process.standardInput = FileHandle.nullDevice
    try process.run()
  }

  /// What the child printed so far.
  public var stdout: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }
  public var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }

  /// Sends a signal (SIGINT, SIGTERM, SIGKILL).
  public func signal(_ number: Int32) {
    kill(process.processIdentifier, number)
  }

  /// Waits for the child to exit; kills it and returns nil if it is still running at the deadline.
  public func wait(timeout: Duration = .seconds(120)) async -> Int32? {
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
      if ContinuousClock.now >= deadline {
        signal(SIGKILL)
        process.waitUntilExit()
        return nil
      }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return process.terminationStatus
  }

  /// Waits until `condition` holds, checking every 10 ms; false at the deadline.
  public static func eventually(
    within timeout: Duration = .seconds(30), _ condition: () -> Bool
  ) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
      if ContinuousClock.now >= deadline { return false }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return true
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport

/// The built `rig` executable, run as a user would run it from the repository root.
struct RigCommand {
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `rig` sits beside the test bundle in the build folder.
  static let executable: URL = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("rig")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    return repositoryRoot.appendingPathComponent(".build/debug/rig")
  }()

  /// A scratch folder for one test: reports and rig locks go here, so tests running in parallel
  /// never share a report folder or a lock.
  let scratch: URL

  init() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rig-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  var reports: URL { scratch.appendingPathComponent("Reports") }

  var environment: [String: String] {
    [
      "RIG_LOCK_DIR": scratch.appendingPathComponent("locks").path, "NO_COLOR": "1",
      // Simulated flash arrays persist under the state folder: one per test, never the user's.
      "XDG_STATE_HOME": scratch.appendingPathComponent("state").path,
    ]
  }

  struct Result {
    var status: Int32?
    var stdout: String
    var stderr: String
  }

  /// Runs `rig` to completion (at most two minutes), with `extra` added to its environment.
  func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> Result {
    let child = try await start(arguments, environment: extra)
    let status = await child.wait()
    return Result(status: status, stdout: child.stdout, stderr: child.stderr)
  }

  /// Starts `rig` and returns at once.
  func start(
    _ arguments: [String], environment extra: [String: String] = [:], input: Int32 = -1,
    output: Int32 = -1
  ) async throws -> TestProcess {
    try await TestProcess(
      Self.executable, arguments, in: Self.repositoryRoot,
      environment: environment.merging(extra) { $1 }, input: input, output: output)
  }

  /// The one run folder under `reports`.
  func runFolder() throws -> URL {
    let runs = try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted()
    guard let last = runs.last else { throw CocoaError(.fileNoSuchFile) }
    return reports.appendingPathComponent(last)
  }

  /// Writes a file into the scratch folder.
  @discardableResult
  func write(_ relativePath: String, _ text: String) throws -> URL {
    let url = scratch.appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    return url
  }

  /// A copy of a shipped clip in the scratch folder.
  func copyClip(_ name: String) throws -> URL {
    let destination = scratch.appendingPathComponent("clips/\(name)")
    try FileManager.default.createDirectory(
      at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: Self.repositoryRoot.appendingPathComponent("Fixtures/clips/\(name)"), to: destination)
    return destination
  }

  /// A simulated rig file in the scratch folder; `pace` 1 makes the DUT take real time. Its
  /// deadlines are stretched for slow builds (`TestTime`), so a sanitized rig is not taken for a
  /// hung DUT.
  func simulatedRig(name: String, pace: Double = 0, extra: String = "") throws -> URL {
    func ms(_ seconds: Double) -> String { "\(Int(seconds * TestTime.scale * 1000))ms" }
    return try write(
      "\(name).yaml",
      """
      rig: \(name)
      board: virtual-rt1062
      timing: { power_off: 50ms, boot_timeout: \(ms(5)), command_timeout: \(ms(2)), hang_timeout: \(ms(2)) }
      simulated:
        seed: 42
        boot_time: 100ms
        pace: \(pace)
      \(extra)
      """)
  }

  /// Rows of an artifact CSV as dictionaries keyed by header.
  static func csvRows(_ url: URL) throws -> [[String: String]] {
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false) else { return [] }
    return lines.dropFirst().map { line in
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      var row: [String: String] = [:]
      for (key, value) in zip(header, fields) { row[String(key)] = String(value) }
      return row
    }
  }
}

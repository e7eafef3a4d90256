// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import RigSimulator
import RigSystem

/// `SuiteRunner` driving the simulated bench in this process: suite and rig files written to a
/// scratch folder (clips from the repository's Fixtures), every event kept, and the run's task
/// at hand so a test can cancel it as a signal would.
final class RunnerHarness: Sendable {
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  let scratch: URL
  let plan: RunPlan
  let simulated: SimulatedBench
  private let recorded = Locked<[TimedEvent]>([])
  private let frameCount = Locked(0)

  /// - Parameters:
  ///   - suite: the suite file's text; `CLIPS` stands for the repository's clip folder, paths
  ///     relative to the suite file lead into the scratch folder.
  ///   - simulated: the lines of the rig file's `simulated:` section after `seed`.
  ///   - files: more files for the scratch folder (a clip of its own), by relative path.
  init(suite: String, simulated settings: String = "", timing: String = "", files: [String: [UInt8]] = [:]) throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rig-runner-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    for (path, bytes) in files {
      let url = scratch.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: url)
    }
    let suiteFile = scratch.appendingPathComponent("suite.yaml")
    let clips = Self.repositoryRoot.appendingPathComponent("Fixtures/clips").path
    try Data(suite.replacingOccurrences(of: "CLIPS", with: clips).utf8).write(to: suiteFile)
    let rigFile = scratch.appendingPathComponent("rig.yaml")
    try Data(
      """
      rig: in-process
      board: virtual-rt1062
      timing: { power_off: 20ms, boot_timeout: 5s, command_timeout: 2s, hang_timeout: 2s\(timing) }
      simulated:
        seed: 42
      \(settings)
      """.utf8
    ).write(to: rigFile)
    let files = LocalFileAccess()
    let loadedSuite = try SuiteLoader.load(suiteFile, files: files)
    let rig = try RigLoader.load(rigFile, files: files)
    plan = RunPlan(
      suite: loadedSuite, tests: loadedSuite.tests, rig: rig, runID: "run-1",
      reportDirectory: scratch.appendingPathComponent("report"), toolVersion: "rig test",
      files: files)
    simulated = SimulatedBench(settings: try require(rig.simulation), rig: rig)
  }

  /// Every event so far.
  var events: [TimedEvent] { recorded.withLock { $0 } }

  /// Frame results reported so far, over all tests.
  var framesReported: Int { frameCount.withLock { $0 } }

  /// Starts the run; `interruption` is what a signal trap would say when asked.
  func start(interruption: String? = nil) -> Task<RunResult, Never> {
    // The run folder on disk, as `rig run` writes it (tests read its artifacts back).
    let artifacts = RunFolder(existing: plan.reportDirectory)
    let runner = SuiteRunner(
      plan: plan, bench: simulated.bench(), artifacts: artifacts,
      events: { [self] event in recorded.withLock { $0.append(event) } },
      frames: { [self] _, _ in frameCount.withLock { $0 += 1 } },
      interruptionReason: { interruption })
    return Task { await runner.run() }
  }

  /// Waits (10 ms at a time, `within` at most) until `condition` holds.
  func eventually(within timeout: Duration = .seconds(30), _ condition: (RunnerHarness) -> Bool) async -> Bool {
    let deadline = TestTime.deadline(in: timeout)
    while !condition(self) {
      if ContinuousClock.now >= deadline { return false }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return true
  }

  /// Whether a board state `state` was announced.
  func saw(boardState state: String) -> Bool {
    events.contains { if case .boardState(let change) = $0.event { change.state == state } else { false } }
  }

  /// The last board state announced.
  var lastBoardState: String? {
    events.reversed().lazy.compactMap { if case .boardState(let change) = $0.event { change.state } else { nil } }
      .first
  }

  func close() async {
    await simulated.shutdown()
    try? FileManager.default.removeItem(at: scratch)
  }
}

private func require<T>(_ value: T?) throws -> T {
  guard let value else { throw RigError(.internal, "the rig file has no simulated: section") }
  return value
}

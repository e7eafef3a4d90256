// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport

@testable import RigCore

/// A `SuiteRunner` on a scripted bench: the plan, the run's events and files in memory, and the
/// run on its own task, which the bench's script may cancel at any step.
final class ScriptedRun: Sendable {
  let bench: ScriptedBench
  let artifacts = MemoryArtifactSink()
  private let recorded = Locked<[RunEvent]>([])

  init(_ script: DUTScript = DUTScript(), timing: BenchTiming = ScriptedBench.timing) {
    bench = ScriptedBench(script: script, timing: timing)
  }

  /// A test of `frames` frames of a scripted clip.
  static func test(
    _ name: String = "walk", frames: Int = 6, timeout: Duration = .seconds(60), retries: Int = 0,
    limits: [Limit] = []
  ) throws -> TestCase {
    TestCase(
      name: name, clip: try ScriptedClip.make(frames: frames), limits: limits, timeout: timeout,
      retries: retries, location: SourceLocation(file: "/scripted/suite.yaml", line: 1))
  }

  /// Runs the tests as one suite and returns the run's result.
  func run(_ tests: [TestCase]) async -> RunResult {
    let suite = Suite(name: "scripted", file: URL(fileURLWithPath: "/scripted/suite.yaml"), firmware: nil, tests: tests)
    let plan = RunPlan(
      suite: suite, tests: tests, rig: bench.rig, runID: "run-1",
      reportDirectory: URL(fileURLWithPath: "/scripted/report"), toolVersion: "rig test")
    let runner = SuiteRunner(
      plan: plan, bench: bench.bench, artifacts: artifacts,
      events: { [recorded] event in recorded.withLock { $0.append(event.event) } },
      interruptionReason: { "SIGINT" }, clock: bench.clock.host)
    return await Task { await runner.run() }.value
  }

  var events: [RunEvent] { recorded.value }

  /// Every frame finding recorded, by kind.
  func findings(_ kind: FrameFinding.Kind) -> [FrameFinding] {
    events.compactMap { if case .frameFinding(let f) = $0, f.kind == kind { f } else { nil } }
  }

  /// The board states announced, in order.
  var boardStates: [String] {
    events.compactMap { if case .boardState(let change) = $0 { change.state } else { nil } }
  }

  /// frames.csv of `test`, one array of fields per row, header first.
  func framesCSV(_ test: String = "walk") -> [[String]] {
    (artifacts.text("artifacts/\(test)/frames.csv") ?? "").split(separator: "\n")
      .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
  }

  /// The finding column of frames.csv, by frame.
  func frameFindings(_ test: String = "walk") -> [String] {
    framesCSV(test).dropFirst().map { $0.last ?? "" }
  }
}

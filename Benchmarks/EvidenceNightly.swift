// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSimulator
import RigSystem

/// One simulated nightly: a suite run in this process on the simulated bench (console and camera
/// emulator in process, the same runner `rig run` uses), turned into the evidence history would
/// store for each test.
struct EvidenceNightly {
  /// The bench noise every nightly has: jitter, run and board offsets, a heavy tail of spikes.
  static let noise = LatencyModel(jitterMs: 0.4, runOffsetMs: 0.15, boardOffsetMs: 0.25, spikeRate: 0.01, spikeMs: 2)

  var suite: Suite
  var run: String
  var board: String
  var seed: UInt64
  var regression = FirmwareRegression()

  /// Runs the nightly and returns each test's evidence, in suite order.
  func evidence(reports: URL) async throws -> [TestEvidence] {
    var settings = SimulationSettings(seed: seed, bootTime: .milliseconds(10), latency: Self.noise)
    settings.regression = regression
    let rig = RigConfiguration(
      name: board, file: URL(fileURLWithPath: "/dev/null"), board: "virtual-rt1062",
      timing: BenchTiming(
        powerOffTime: .milliseconds(10), bootTimeout: .seconds(5), commandTimeout: .seconds(5),
        hangTimeout: .milliseconds(500)),
      simulation: settings)
    let simulated = SimulatedBench(settings: settings, rig: rig)
    let frames = FrameCollector()
    let plan = RunPlan(
      suite: suite, tests: suite.tests, rig: rig, runID: run,
      reportDirectory: reports.appendingPathComponent(run), toolVersion: "benchmark",
      files: LocalFileAccess())
    let artifacts = try RunFolder.create(reports.appendingPathComponent(run))
    let result = await SuiteRunner(
      plan: plan, bench: simulated.bench(), artifacts: artifacts, events: { _ in },
      frames: { frames.add($0, $1) }
    ).run()
    await simulated.shutdown()
    let property = { (name: String) in result.properties.first { $0.name == name }?.value ?? "" }
    // The regressed builds report another version of the same image.
    let firmware = EvidenceIdentity.firmwareKey(imageHash: property("fw.image_hash"), version: property("fw.version"))
    return result.tests.map { test in
      let clip = suite.tests.first { $0.name == test.name }?.clip.directory.lastPathComponent ?? test.name
      return TestEvidence(
        run: run, result: test, identity: EvidenceIdentity(firmwareHash: firmware, clipHash: clip),
        frames: frames.series(test.name))
    }
  }
}

/// Per-frame outcomes as the runner resolves them, by test.
private final class FrameCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var byTest: [String: FrameSeries] = [:]

  func add(_ test: String, _ outcome: FrameOutcome) {
    lock.lock()
    byTest[test, default: FrameSeries()].append(outcome)
    lock.unlock()
  }

  func series(_ test: String) -> FrameSeries {
    lock.lock()
    defer { lock.unlock() }
    return byTest[test] ?? FrameSeries()
  }
}

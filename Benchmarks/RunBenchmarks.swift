// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import RigHardware
import RigSimulator

/// Runs a suite in this process on the simulated bench, exactly as `rig run` does (console over a
/// pseudo-terminal and the termios link), and returns the result. Events are kept in memory only.
func runInProcess(suite suiteFile: URL, rig rigFile: URL, reports: URL) async throws -> RunResult {
  let suite = try SuiteLoader.load(suiteFile, files: LocalFileAccess())
  let rig = try RigLoader.load(rigFile, files: LocalFileAccess())
  guard let settings = rig.simulation else { fatalError("benchmark rigs are simulated") }
  let simulated = try SimulatedBench.wiredToPseudoTerminal(settings: settings, rig: rig)
  let link = try TermiosSerialLink(path: simulated.consoleDevicePath!, baud: 115_200)
  // The camera too, over the emulator link's own tty, as `rig run` drives it.
  let cameraLink = try TermiosSerialLink(path: simulated.emulatorDevicePath!, baud: 115_200)
  var bench = simulated.bench(camera: LinkCameraEmulator(link: cameraLink))
  bench.console = link
  let plan = RunPlan(
    suite: suite, tests: suite.tests, rig: rig, runID: "bench-\(UUID().uuidString.prefix(8))",
    reportDirectory: reports, toolVersion: "benchmark", files: LocalFileAccess())
  let artifacts = try RunFolder.create(reports)
  let result = await SuiteRunner(plan: plan, bench: bench, artifacts: artifacts, events: { _ in }).run()
  await link.close()
  await cameraLink.close()
  await simulated.shutdown()
  return result
}

/// DESIGN §8: host overhead with a zero-latency virtual DUT, 96×96 gray, ≥ 2,000 frames/s.
/// The DUT still reports modelled latency, but takes no wall time (pace 0), so what is measured
/// is rig's own per-frame cost plus the virtual DUT's counting, on this machine's cores.
func hostOverheadBenchmark(_ files: BenchmarkFiles) async throws -> [Figure] {
  let frames = 5_000
  let clip = try files.longClip(name: "overhead", frames: frames)
  let suite = try files.suite(name: "overhead", clips: [clip])
  let rig = try files.rig(name: "bench-overhead", pace: 0)
  var rates: [Double] = []
  for _ in 0..<3 {
    let result = try await runInProcess(suite: suite, rig: rig, reports: files.root.appendingPathComponent("reports"))
    guard let test = result.tests.first, test.verdict != .errored, test.frames.matched == frames else {
      fatalError("host overhead run did not complete: \(result.tests.first?.message ?? "no test")")
    }
    rates.append(Double(frames) / test.duration)
  }
  return [
    Figure(
      name: "host overhead, zero-latency virtual DUT, 96×96 gray", value: median(rates),
      unit: "frames/s", limit: 2_000, direction: .atLeast,
      note: "median of 3 runs of \(frames) frames, in-process runner + simulated bench (pace 0)")
  ]
}

/// DESIGN §8: suite wall time with the virtual DUT at 30 ms/frame ≤ 1.02 × the DUT's own time.
/// The DUT's own time is the sum of the latencies it reports (it really takes them: pace 1).
func wallTimeBenchmark(_ files: BenchmarkFiles) async throws -> [Figure] {
  let frames = 200
  let clip = try files.longClip(name: "paced", frames: frames)
  let suite = try files.suite(name: "paced", clips: [clip])
  // Capture of 9,216 bytes at 8 MHz (9.2 ms) + preprocess 0.6 + post 0.15 + invoke ≈ 30 ms.
  let rig = try files.rig(name: "bench-paced", pace: 1, invokeMs: 20, jitterMs: 0)
  let result = try await runInProcess(suite: suite, rig: rig, reports: files.root.appendingPathComponent("reports"))
  guard let test = result.tests.first, test.frames.matched == frames,
    let mean = test.metric(.latencyMean)
  else {
    fatalError("paced run did not complete: \(result.tests.first?.message ?? "no test")")
  }
  let dutSeconds = mean * Double(frames) / 1000
  return [
    Figure(
      name: "suite wall time over the DUT's own time at \(MetricFormat.format3(mean)) ms/frame",
      value: test.duration / dutSeconds, unit: "×", limit: 1.02, direction: .atMost,
      note: "\(frames) frames: \(MetricFormat.format3(test.duration)) s wall, \(MetricFormat.format3(dutSeconds)) s of device time")
  ]
}

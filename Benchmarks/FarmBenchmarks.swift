// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

/// Issue 11's targets for a pool of rigs and for merging shards:
/// - a pool of 4 rigs at real-time pace finishes a suite in ≤ 0.30× the wall time of one rig;
/// - the host's CPU for 4 rigs at 30 frames/s each is ≤ 10 % of one core;
/// - `rig report merge` of 10 shards × 100 tests takes ≤ 1 s.
///
/// The runs record no history: the figures are the runs' own, whatever this machine recorded before.
///
/// The boards are four `rig sim board` processes reached through the hardware path (power by
/// command, console and camera emulator on pseudo-terminals), so the CPU measured is rig's own:
/// the simulated boards' work is the hardware's, in other processes. The wall times are of short
/// tests (2 s), where each test's power cycle and boot weigh most; the CPU share is of long ones
/// (30 s, one a rig), a pool streaming at 30 frames/s, with the short run's share in its note: each
/// test's power commands are processes of their own (`rig sim power`, standing in for uhubctl),
/// counted in rig's CPU since rig waits for them.
func farmBenchmarks(_ files: BenchmarkFiles) async throws -> [Figure] {
  let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  // Capture 9.2 ms + preprocess 0.6 + postprocess 0.15 + invoke 23.4 ≈ 33.3 ms: 30 frames/s.
  let settings = try files.rig(name: "farm-board", pace: 1, invokeMs: 23.4, jitterMs: 0)
  var boards: [SimBoardChild] = []
  for index in 0..<4 { boards.append(try await SimBoardChild(files: files, index: index, settings: settings)) }
  for board in boards { try await board.waitUntilServing() }
  let frames = 60
  let clip = try files.longClip(name: "farm", frames: frames)
  let suite = try files.suite(name: "farm", clips: Array(repeating: clip, count: 12))
  let reports = files.root.appendingPathComponent("farm-reports").path

  let one = spawnMeasured(rigExecutable, ["run", suite.path, "--reports", reports, "--no-flash", "--history", "off", "--rig", boards[0].rigFile.path], in: here)
  guard one.status == 0 else { fatalError("rig run on one board exited \(one.status)") }
  let pool = spawnMeasured(
    rigExecutable, ["run", suite.path, "--reports", reports, "--no-flash", "--history", "off"] + boards.flatMap { ["--rig", $0.rigFile.path] },
    in: here)
  guard pool.status == 0 else { fatalError("rig run on four boards exited \(pool.status)") }
  let longFrames = 900
  let long = try files.suite(
    name: "farm-long", clips: Array(repeating: try files.longClip(name: "farm-long", frames: longFrames), count: 4))
  let streaming = spawnMeasured(
    rigExecutable, ["run", long.path, "--reports", reports, "--no-flash", "--history", "off"] + boards.flatMap { ["--rig", $0.rigFile.path] },
    in: here)
  guard streaming.status == 0 else { fatalError("rig run of long tests on four boards exited \(streaming.status)") }
  for board in boards { await board.process.stop() }
  let perRig = Double(4 * longFrames) / streaming.seconds / 4
  return [
    Figure(
      name: "wall time of a pool of 4 rigs over one rig's, real-time pace", value: pool.seconds / one.seconds,
      unit: "×", limit: 0.30, direction: .atMost,
      note: "12 tests × \(frames) frames at 30 frames/s on rig sim boards: one rig \(MetricFormat.format3(one.seconds)) s, "
        + "four \(MetricFormat.format3(pool.seconds)) s (ideal 0.25)"),
    Figure(
      name: "host CPU of rig driving 4 rigs at 30 frames/s each", value: streaming.cpuSeconds / streaming.seconds * 100,
      unit: "% of a core", limit: 10, direction: .atMost,
      note: "4 tests × \(longFrames) frames, one a rig: \(MetricFormat.format3(streaming.cpuSeconds)) s of CPU over "
        + "\(MetricFormat.format3(streaming.seconds)) s wall, \(MetricFormat.format3(perRig)) frames/s per rig; the short "
        + "tests' run: \(MetricFormat.format3(pool.cpuSeconds / pool.seconds * 100)) %"),
  ]
}

/// `rig report merge` of 10 shard folders of 100 tests each, every test with a frames.csv and a
/// console.log: the median of 3 merges, each into a fresh folder.
func mergeBenchmark(_ files: BenchmarkFiles) throws -> Figure {
  let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  let shards = try (1...10).map { try shardFolder(files, index: $0, of: 10, tests: 100) }
  var times: [Double] = []
  var cpu: [Double] = []
  var reports: [Double] = []
  for attempt in 0..<3 {
    let out = files.root.appendingPathComponent("merged-\(attempt)").path
    let run = spawnMeasured(rigExecutable, ["report", "merge"] + shards.map(\.path) + ["--out", out], in: here)
    guard run.status == 0 else { fatalError("rig report merge exited \(run.status)") }
    times.append(run.seconds)
    cpu.append(run.cpuSeconds)
    // The merged run's reports alone, written again from its events: what of the merge is rendering.
    let again = spawnMeasured(rigExecutable, ["report", out, "--history", "off"], in: here)
    guard again.status == 0 else { fatalError("rig report of the merged run exited \(again.status)") }
    reports.append(again.seconds)
  }
  return Figure(
    name: "rig report merge of 10 shards × 100 tests", value: median(times), unit: "s", limit: 1,
    direction: .atMost,
    note: "median of 3, CPU \(MetricFormat.format3(median(cpu))) s; each test with its frames.csv and console.log, "
      + "hard-linked into the merged folder; of it, writing the merged run's reports (rig report on it): "
      + "\(MetricFormat.format3(median(reports))) s")
}

/// A shard's run folder as `rig run --shard k/n` leaves it: events, results, JUnit and artifacts.
private func shardFolder(_ files: BenchmarkFiles, index: Int, of count: Int, tests: Int) throws -> URL {
  let url = files.root.appendingPathComponent("shards/shard-\(index)")
  let folder = try RunFolder.create(url)
  let start = Date()
  let planned = (0..<tests).map {
    PlannedTest(name: "s\(index)-t\($0)", classname: "farm", clip: "clips/c\($0)", frames: 200, tags: [])
  }
  var events: [RunEvent] = [
    .runStarted(RunStart(
      runID: url.lastPathComponent, suite: "farm", suiteFile: "farm.yaml", rig: "bench-\(index)",
      rigFile: "Rigs/bench-\(index).yaml", startedAt: start, plannedTests: planned,
      properties: [
        .init("tool.version", "rig \(benchmarkToolVersion)"), .init("shard", "\(index)/\(count)"),
        .init("rig.id", "bench-\(index)"), .init("fw.image_hash", String(repeating: "ab", count: 32)),
      ]))
  ]
  for test in planned {
    let directory = "artifacts/\(test.name)"
    try FileManager.default.createDirectory(at: url.appendingPathComponent(directory), withIntermediateDirectories: true)
    try folder.replace("\(directory)/frames.csv", with: Array(String(repeating: "0,1,1,0,0,31.5\n", count: 200).utf8))
    try folder.replace("\(directory)/console.log", with: Array(String(repeating: "log line\n", count: 50).utf8))
    events.append(.testFinished(TestResult(
      name: test.name, classname: "farm", verdict: .passed, startedAt: start, duration: 6.6,
      metrics: [.init(.countExactMatch, 0.95), .init(.countMAE, 0.05), .init(.latencyP95, 33.1), .init(.ramPeak, 185.5)],
      attachments: ["\(directory)/frames.csv", "\(directory)/console.log"])))
  }
  events.append(.runFinished(RunFinish(interruption: nil, exitStatus: 0)))
  let log = try EventLogWriter(sink: folder)
  let timed = events.map { TimedEvent($0) }
  for event in timed { try log.append(event) }
  log.close()
  _ = try ReportWriter.write(try RunResultBuilder.build(timed), to: folder, attachmentRoot: folder.location)
  return url
}

/// The version `rig` reports, as the shards' runs record it (`rig --version`).
private let benchmarkToolVersion: String = {
  let pipe = Pipe()
  let process = Process()
  process.executableURL = rigExecutable
  process.arguments = ["--version"]
  process.standardOutput = pipe
  try? process.run()
  process.waitUntilExit()
  return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    .trimmingCharacters(in: .whitespacesAndNewlines)
}()

/// `rig sim board` in a child process, and a hardware rig file that drives it.
private struct SimBoardChild {
  let process: RunningProcess
  let dir: URL
  let rigFile: URL

  init(files: BenchmarkFiles, index: Int, settings: URL) async throws {
    dir = files.root.appendingPathComponent("board-\(index)")
    process = try await RunningProcess.start(
      rigExecutable.path, ["sim", "board", "--dir", dir.path, "--rig", settings.path])
    let rig = rigExecutable.path
    rigFile = try files.write(
      "farm-hw-\(index).yaml",
      """
      rig: farm-hw-\(index)
      board: virtual-rt1062
      timing: { power_off: 10ms, boot_timeout: 5s, command_timeout: 5s, hang_timeout: 10s }
      power: { command: { on: [\(rig), sim, power, \(dir.path), "on"], off: [\(rig), sim, power, \(dir.path), "off"], timeout: 5s } }
      console: { port: \(dir.path)/console, baud: 115200 }
      camera: { emulator: { port: \(dir.path)/camera } }

      """)
  }

  /// Waits until the board's links and power socket are there (at most 20 s).
  func waitUntilServing() async throws {
    let deadline = ContinuousClock.now + .seconds(20)
    let needed = ["console", "camera", PowerSocketName.name]
    while !needed.allSatisfy({ FileManager.default.fileExists(atPath: dir.appendingPathComponent($0).path) }) {
      guard ContinuousClock.now < deadline, process.isRunning else {
        throw RigError(.hardwareUnavailable, "rig sim board in \(dir.path) did not start")
      }
      try await Task.sleep(for: .milliseconds(50))
    }
  }
}

/// The name `rig sim board` gives its power socket (`PowerControlSocket.fileName` in rig).
private enum PowerSocketName {
  static let name = "power"
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

/// A finished child process: exit status, wall time and its own peak resident memory.
struct ChildRun {
  var status: Int32
  var seconds: Double
  var maxRSSBytes: Int
  /// User and system CPU time of the child (and the children it waited for).
  var cpuSeconds: Double = 0
}

/// Runs a program with its output discarded and measures it with `wait4(2)`, which reports the
/// peak RSS of exactly that child.
func spawnMeasured(_ executable: URL, _ arguments: [String], in directory: URL) -> ChildRun {
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
  let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
  defer { for p in argv { free(p) } }
  let previous = FileManager.default.currentDirectoryPath
  _ = FileManager.default.changeCurrentDirectoryPath(directory.path)
  defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
  var pid: pid_t = 0
  let start = ContinuousClock.now
  let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, environ)
  guard spawned == 0 else { fatalError("\(SystemError(code: spawned, call: "posix_spawn", path: executable.path))") }
  var status: Int32 = 0
  var usage = rusage()
  while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
  let seconds = (ContinuousClock.now - start).seconds
  let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  let cpu = [usage.ru_utime, usage.ru_stime].reduce(0.0) { $0 + Double($1.tv_sec) + Double($1.tv_usec) / 1e6 }
  return ChildRun(status: exit, seconds: seconds, maxRSSBytes: usage.ru_maxrss * 1024, cpuSeconds: cpu)
}

/// The `rig` executable built beside this benchmark.
let rigExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  .appendingPathComponent("rig")

/// DESIGN §8: `rig --help` ≤ 50 ms and `rig validate` of a 100-test suite ≤ 100 ms.
func startupBenchmark(_ files: BenchmarkFiles) throws -> [Figure] {
  let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  _ = spawnMeasured(rigExecutable, ["--help"], in: here)
  let help = (0..<15).map { _ in spawnMeasured(rigExecutable, ["--help"], in: here).seconds }

  let clips = try (0..<100).map { try files.longClip(name: "validate-\($0)", frames: 100) }
  let suite = try files.suite(name: "hundred", clips: clips)
  let first = spawnMeasured(rigExecutable, ["validate", suite.path], in: here)
  guard first.status == 0 else { fatalError("rig validate of the 100-test suite failed (\(first.status))") }
  let validate = (0..<10).map { _ in spawnMeasured(rigExecutable, ["validate", suite.path], in: here).seconds }
  return [
    Figure(
      name: "rig --help", value: median(help) * 1000, unit: "ms", limit: 50, direction: .atMost,
      note: "median wall time of 15 runs"),
    Figure(
      name: "rig validate of 100 tests (100 clips × 100 frames)", value: median(validate) * 1000, unit: "ms",
      limit: 100, direction: .atMost, note: "median wall time of 10 runs, file cache warm"),
  ]
}

/// DESIGN §8: memory flat in clip length, ≤ 50 MB RSS for 100,000 frames.
func memoryBenchmark(_ files: BenchmarkFiles) throws -> [Figure] {
  let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  let rig = try files.rig(name: "bench-memory", pace: 0)
  var peaks: [Int: ChildRun] = [:]
  for frames in [10_000, 100_000] {
    let clip = try files.longClip(name: "memory-\(frames)", frames: frames)
    let suite = try files.suite(name: "memory-\(frames)", clips: [clip])
    let run = spawnMeasured(
      rigExecutable,
      ["run", suite.path, "--rig", rig.path, "--reports", files.root.appendingPathComponent("reports").path],
      in: here)
    guard run.status == 0 || run.status == 1 else { fatalError("rig run of \(frames) frames exited \(run.status)") }
    peaks[frames] = run
  }
  let small = Double(peaks[10_000]!.maxRSSBytes) / 1e6
  let large = Double(peaks[100_000]!.maxRSSBytes) / 1e6
  return [
    Figure(
      name: "peak RSS of rig run, 100,000-frame clip", value: large, unit: "MB", limit: 50, direction: .atMost,
      note: "rig run on the simulated bench, \(MetricFormat.format3(peaks[100_000]!.seconds)) s"),
    // Per frame rig keeps 4 bytes of label, 4 of CRC and 8 of latency (for exact percentiles);
    // the rest of the growth is the allocator's arenas, which vary from run to run.
    Figure(
      name: "peak RSS growth from 10,000 to 100,000 frames", value: large / small, unit: "×", limit: 1.5,
      direction: .atMost, note: "\(MetricFormat.format3(small)) MB → \(MetricFormat.format3(large)) MB (flat = 1)"),
  ]
}

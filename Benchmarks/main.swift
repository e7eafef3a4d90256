// SPDX-License-Identifier: Apache-2.0
// rig's performance targets (DESIGN §8), each printed as a ratio against its limit measured in
// the same run. Run with `Scripts/benchmark` (release build). Figures go in docs/benchmarks.md.
import Foundation
import RigCore
import RigSystem

if CommandLine.arguments.count == 3 && CommandLine.arguments[1] == emulatorStreamChildArgument {
  // As `rig` does, so the child's footprint is the one rig would have.
  MallocArenas.limit()
  try await emulatorStreamChild(CommandLine.arguments[2])
  exit(0)
}

let files = try BenchmarkFiles()

let only = Set(CommandLine.arguments.dropFirst())
func wanted(_ name: String) -> Bool { only.isEmpty || only.contains(name) }

print("rig benchmarks — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Date())")
var figures: [Figure] = []
@MainActor func report(_ new: [Figure]) {
  for figure in new {
    print(figure.line)
    print("     \(figure.note)")
  }
  figures += new
}

if wanted("telemetry") { report(telemetryParseBenchmark()) }
if wanted("timestamp") { report(try await arrivalStampBenchmark()) }
if wanted("overhead") { report(try await hostOverheadBenchmark(files)) }
if wanted("walltime") { report(try await wallTimeBenchmark(files)) }
if wanted("startup") { report(try startupBenchmark(files)) }
if wanted("memory") { report(try memoryBenchmark(files)) }
if wanted("flash") { report(try await flashThroughputBenchmark(files)) }
if wanted("emulator") { report(try await emulatorBenchmarks(files)) }
if wanted("emulator-memory") { report(try emulatorMemory(files)) }
if wanted("evidence") {
  report(evidenceSpeedBenchmark())
  report(try await evidenceBenchmark(files))
}
if wanted("history") { report(try await historyBenchmarks(files)) }
if wanted("report") { report(try reportBenchmark(files)) }
if wanted("history-page") { report(try historyPageBenchmark(files)) }

let missed = figures.filter { !$0.meetsTarget }
print("\(figures.count - missed.count) of \(figures.count) figures meet their targets")
files.remove()
exit(missed.isEmpty ? 0 : 1)

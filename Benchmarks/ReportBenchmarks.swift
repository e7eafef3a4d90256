// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

/// report.html: its size for the demo suite (≤ 300 KB) and for a 100,000-frame test (≤ 3 MB),
/// and the time its rendering adds to a run (≤ 0.3 s): reading every frames.csv, rendering the
/// page and writing it, as `ReportWriter` does at the end of a run.
func reportBenchmark(_ files: BenchmarkFiles) throws -> [Figure] {
  let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  let demoReports = files.root.appendingPathComponent("report-demo")
  // Without history: the figure is the page's own, whatever this machine recorded before.
  let demo = spawnMeasured(
    rigExecutable, ["run", "Fixtures/suites/demo.yaml", "--reports", demoReports.path, "--history", "off"], in: here)
  guard demo.status == 0 else { fatalError("rig run of the demo suite exited \(demo.status)") }
  let demoFolder = try onlyRunFolder(in: demoReports)
  let demoSize = try fileSize(demoFolder.appendingPathComponent("report.html"))
  let demoSeconds = try renderSeconds(demoFolder)

  let frames = 100_000
  let clip = try files.longClip(name: "report-\(frames)", frames: frames)
  let suite = try files.suite(name: "report-\(frames)", clips: [clip])
  let rig = try files.rig(name: "bench-report", pace: 0)
  let longReports = files.root.appendingPathComponent("report-long")
  let long = spawnMeasured(
    rigExecutable, ["run", suite.path, "--rig", rig.path, "--reports", longReports.path, "--history", "off"], in: here)
  guard long.status == 0 || long.status == 1 else { fatalError("rig run of \(frames) frames exited \(long.status)") }
  let longFolder = try onlyRunFolder(in: longReports)
  let longSize = try fileSize(longFolder.appendingPathComponent("report.html"))
  let csvSize = try fileSize(longFolder.appendingPathComponent("artifacts/t0/frames.csv"))
  let longSeconds = try renderSeconds(longFolder)

  return [
    Figure(
      name: "report.html of the demo suite", value: Double(demoSize) / 1000, unit: "KB", limit: 300,
      direction: .atMost, note: "4 tests, 530 frames; rendered in \(milliseconds(demoSeconds)) ms"),
    Figure(
      name: "report.html of a 100,000-frame test", value: Double(longSize) / 1e6, unit: "MB", limit: 3,
      direction: .atMost, note: "its frames.csv is \(MetricFormat.format3(Double(csvSize) / 1e6)) MB"),
    Figure(
      name: "time report.html adds to a 100,000-frame run", value: longSeconds, unit: "s", limit: 0.3,
      direction: .atMost,
      note: "read frames.csv, render, write; median of 5 (demo suite: \(milliseconds(demoSeconds)) ms)"),
  ]
}

/// Median wall time of rendering a run folder's report.html again from its events and frames.
private func renderSeconds(_ folder: URL) throws -> Double {
  let log = try EventLogReader.read(folder.appendingPathComponent("events.ndjson"))
  let run = try RunResultBuilder.build(log.events)
  let sink = RunFolder(existing: folder)
  let times = try (0..<5).map { _ in
    let start = ContinuousClock.now
    let html = HTMLRenderer.render(run, frames: FrameTableFiles.read(run, in: folder))
    // As ReportWriter writes it: a temporary file, fsync, rename.
    try sink.replace("report-again.html", with: Array(html.utf8))
    return (ContinuousClock.now - start).seconds
  }
  return median(times)
}

private func onlyRunFolder(in reports: URL) throws -> URL {
  let names = try FileManager.default.contentsOfDirectory(atPath: reports.path).filter { !$0.hasPrefix(".") }
  guard names.count == 1 else { fatalError("expected one run folder in \(reports.path), found \(names)") }
  return reports.appendingPathComponent(names[0])
}

private func fileSize(_ url: URL) throws -> Int {
  (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
}

private func milliseconds(_ seconds: Double) -> String { MetricFormat.number((seconds * 1000).rounded()) }

/// The history page (`rig history html`) over 1,000 nightlies × 100 tests: ≤ 2 s, a child process
/// as a user runs it, change-point search included.
func historyPageBenchmark(_ files: BenchmarkFiles) throws -> [Figure] {
  let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  let database = files.root.appendingPathComponent("history-page/nightlies.sqlite")
  try FileManager.default.createDirectory(at: database.deletingLastPathComponent(), withIntermediateDirectories: true)
  try HistoryReports.fillNightlies(database, nights: 1_000, tests: 100)
  let out = files.root.appendingPathComponent("history-page/page")
  let arguments = ["history", "html", "--history", database.path, "--out", out.path]
  let first = spawnMeasured(rigExecutable, arguments, in: here)
  guard first.status == 0 else { fatalError("rig history html exited \(first.status)") }
  // The same search alone, measured alternately, so the page's own cost shows on a busy machine.
  let trendsArguments = ["history", "trends", "--history", database.path]
  var times: [Double] = []
  var trendTimes: [Double] = []
  for _ in 0..<3 {
    times.append(spawnMeasured(rigExecutable, arguments, in: here).seconds)
    trendTimes.append(spawnMeasured(rigExecutable, trendsArguments, in: here).seconds)
  }
  let size = try fileSize(out.appendingPathComponent("index.html"))
  return [
    Figure(
      name: "rig history html over 1,000 nightlies × 100 tests", value: median(times), unit: "s", limit: 2,
      direction: .atMost,
      note: "median wall time of 3, change points of the headline metrics included (rig history trends "
        + "alone: \(MetricFormat.format3(median(trendTimes))) s); the page is \(MetricFormat.format3(Double(size) / 1e6)) MB")
  ]
}


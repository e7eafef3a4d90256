// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore

/// `rig run` on several rigs of one host (a pool): the suite's tests shared out among the rigs,
/// each rig running one test at a time with its own runner, into one run folder and one report
/// (docs/farm.md).
///
/// Every rig is a task of one task group, under the signal trap: a signal cancels them all, and
/// each puts its own bench in a safe state. A rig that cannot start, fails its health check or
/// breaks during the run drops out with the reason, and the others take its tests.
struct PoolSession {
  var suiteFile: URL
  var rigFiles: [URL]
  /// The pool file the rigs came from, if any.
  var pool: RigPool?
  var options: RunOptions
  var selection: SelectionOptions
  var only: [String] = []
  var tags: [String] = []
  /// Every test on every rig that can run it, instead of once on any.
  var eachRig = false
  var forceFlash = false
  var verbose = false

  /// What the files say, loaded and checked together.
  struct Loaded {
    var suite: Suite
    var rigs: [RigConfiguration]
    var health: [Suite?]
    var choice: SelectionOptions.Choice
  }

  func execute() async -> ExitCode {
    let loaded: Loaded
    do {
      loaded = try load()
    } catch let error as ConfigError {
      return UnloadableRun.report(
        error, suiteFile: suiteFile, only: only, tags: tags, rigFiles: rigFiles, reports: options.reports)
    } catch {
      return Failure.exit(error)
    }
    if let nothing = loaded.choice.nothingToRun {
      Terminal.out(nothing)
      return .success
    }
    do {
      return try await run(loaded)
    } catch {
      return Failure.exit(error)
    }
  }

  /// The suite, every rig and every health suite, with all their problems at once.
  private func load() throws -> Loaded {
    var issues: [ConfigIssue] = []
    var suite: Suite?
    var rigs: [RigConfiguration] = []
    var health: [Suite?] = []
    do { suite = try SuiteLoader.load(suiteFile) } catch { issues += error.issues }
    for file in rigFiles {
      do {
        let rig = selection.scaled(try options.seeded(try RigLoader.load(file)))
        rigs.append(rig)
        health.append(try rig.health.map { check throws(ConfigError) in try SuiteLoader.load(check.suite) })
      } catch let error as ConfigError {
        issues += error.issues
      }
    }
    guard let suite, issues.isEmpty else { throw ConfigError(issues) }
    for (index, rig) in rigs.enumerated() {
      if let other = rigs[..<index].first(where: { $0.name == rig.name }) {
        throw RigError(
          .usage,
          "\(other.file.displayPath) and \(rig.file.displayPath) both name their rig '\(rig.name)': the rigs "
            + "of a pool need names of their own (rig: in each file), as their locks, folders and reports go by it")
      }
    }
    if forceFlash && options.noFlash {
      throw RigError(.usage, "--force flashes and --no-flash never does: give one of them")
    }
    let tests = try TestSelection.select(suite.tests, only: only, tags: tags)
    return Loaded(suite: suite, rigs: rigs, health: health, choice: try selection.choose(from: tests, of: suite))
  }

  private func run(_ loaded: Loaded) async throws -> ExitCode {
    let suite = loaded.suite
    let runID = RunID.make(date: Date(), suite: suite.name, avoiding: URL(fileURLWithPath: options.reports))
    let directory = URL(fileURLWithPath: options.reports).appendingPathComponent(runID)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let progress = PoolProgress(rigs: loaded.rigs.map(\.name), verbose: verbose)
    let log = try PoolLog(url: directory.appendingPathComponent("events.ndjson")) { progress.eventLogFailed($0) }
    let units = WorkUnit.plan(loaded.choice.tests, on: loaded.rigs, eachRig: eachRig)
    log.record(.runStarted(runStart(loaded, units: units, runID: runID)))
    for rig in loaded.rigs {
      log.record(.rigState(RigRun(name: rig.name, file: rig.file.displayPath, board: rig.board, state: .starting)))
    }
    progress.begin(suite: suite, units: units, reportDirectory: directory)

    let queue = WorkQueue(units: units, rigs: loaded.rigs.count)
    let trap = SignalTrap()
    let context = PoolContext(
      suite: suite, runID: runID, directory: directory, units: units, queue: queue, log: log,
      progress: progress, interruption: { trap.reason }, noFlash: options.noFlash, forceFlash: forceFlash,
      verbose: verbose, properties: loaded.choice.properties, purpose: "rig run \(suiteFile.displayPath)")
    let lanes = loaded.rigs.indices.map { RigLane(index: $0, rig: loaded.rigs[$0], health: loaded.health[$0], pool: context) }
    let run = await trap.run { () -> RunResult in
      await withTaskCancellationHandler {
        await withTaskGroup(of: Void.self) { group in
          for lane in lanes { group.addTask { await lane.run() } }
        }
      } onCancel: {
        Task { await queue.cancel() }
      }
      progress.end()
      await PoolOutcome(context: context, rigs: loaded.rigs).record(interruption: trap.reason)
      log.close()
      // Built from the file as written (times to the millisecond), so `rig report` on the folder
      // gives these very reports.
      let written = try? EventLogReader.read(directory.appendingPathComponent("events.ndjson")).events
      let run = (try? RunResultBuilder.build(written ?? log.recorded))
        ?? RunResult(runID: runID, suite: suite.name, rig: "", startedAt: Date(), duration: 0, properties: [], tests: [])
      do {
        try ReportWriter.write(run, to: directory, attachmentRoot: directory.displayPath)
      } catch {
        Terminal.error("error: \(error)")
      }
      return run
    }
    Terminal.out(ConsoleSummary.render(run, color: Terminal.supportsColor))
    Terminal.out("reports: \(directory.displayPath)/ (junit.xml, results.json, events.ndjson; each rig's in rigs/)")
    return ExitCode(ExitStatus(run: run).rawValue)
  }

  /// The pool's `run_started`: every unit as a planned test, and the run's properties.
  private func runStart(_ loaded: Loaded, units: [WorkUnit], runID: String) -> RunStart {
    let names = loaded.rigs.map(\.name)
    return RunStart(
      runID: runID, suite: loaded.suite.name, suiteFile: loaded.suite.file.displayPath,
      rig: pool?.name ?? names.joined(separator: "+"),
      rigFile: pool?.file.displayPath ?? loaded.rigs.map(\.file.displayPath).joined(separator: ", "),
      startedAt: Date(),
      plannedTests: units.map {
        PlannedTest(
          name: $0.name, classname: loaded.suite.name, clip: $0.test.clip.directory.displayPath,
          frames: $0.test.clip.frameCount, tags: $0.test.tags, rig: $0.boundRig)
      },
      properties: [
        .init("run.id", runID), .init("suite.file", loaded.suite.file.displayPath),
        .init("tool.version", "rig \(Rig.version)"), .init("timestamp.tz", "UTC"),
        .init("pool.rigs", names.joined(separator: ",")), .init("pool.mode", eachRig ? "each-rig" : "once"),
      ] + (pool.map { [RunResult.Property("pool.name", $0.name)] } ?? []) + loaded.choice.properties)
  }
}

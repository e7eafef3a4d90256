// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHistory
import RigSystem

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
  /// Where to record the run; nil records nothing.
  var history: HistoryOptions?

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
    do { suite = try SuiteLoader.load(suiteFile, files: LocalFileAccess()) } catch { issues += error.issues }
    for file in rigFiles {
      do {
        let rig = selection.scaled(try options.seeded(try RigLoader.load(file, files: LocalFileAccess())))
        rigs.append(rig)
        health.append(try rig.health.map { check throws(ConfigError) in try SuiteLoader.load(check.suite, files: LocalFileAccess()) })
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
    // Opened before the benches, so a damaged history stops the run before it touches hardware.
    let store = try history?.location(rig: loaded.rigs.first).map { try HistoryStore(url: $0, create: true) }
    let identity = try RunIdentity.read(suite: suite, tests: loaded.choice.tests, rig: loaded.rigs[0], files: LocalFileAccess())
    let runID = RunID.make(date: Date(), suite: suite.name, avoiding: URL(fileURLWithPath: options.reports))
    let directory = URL(fileURLWithPath: options.reports).appendingPathComponent(runID)
    let folder = try RunFolder.create(directory)
    let progress = PoolProgress(rigs: loaded.rigs.map(\.name), verbose: verbose)
    let log = try PoolLog(sink: folder) { progress.eventLogFailed($0) }
    let units = WorkUnit.plan(loaded.choice.tests, on: loaded.rigs, eachRig: eachRig)
    log.record(.runStarted(runStart(loaded, units: units, runID: runID, identity: identity)))
    for rig in loaded.rigs {
      log.record(.rigState(RigRun(name: rig.name, file: rig.file.displayPath, board: rig.board, state: .starting)))
    }
    progress.begin(suite: suite, units: units, reportDirectory: directory)

    let queue = WorkQueue(units: units, rigs: loaded.rigs.count)
    let trap = SignalTrap()
    let context = PoolContext(
      suite: suite, runID: runID, directory: directory, folder: folder, units: units, queue: queue, log: log,
      progress: progress, interruption: { trap.reason }, noFlash: options.noFlash, forceFlash: forceFlash,
      verbose: verbose, properties: loaded.choice.properties, purpose: "rig run \(suiteFile.displayPath)",
      identity: identity)
    let lanes = loaded.rigs.indices.map { RigLane(index: $0, rig: loaded.rigs[$0], health: loaded.health[$0], pool: context) }
    // The reports are written inside the trap too: a signal then cannot cut them short.
    let (run, written, complete) = await trap.run { () -> (RunResult, [String], Bool) in
      await withTaskCancellationHandler {
        await withTaskGroup(of: Void.self) { group in
          for lane in lanes { group.addTask { await lane.run() } }
        }
      } onCancel: {
        Task { await queue.cancel() }
      }
      progress.end()
      await PoolOutcome(context: context, rigs: loaded.rigs).record(interruption: trap.reason)
      return Self.writeReports(folder: folder, log: log, history: store)
    }
    let status = ExitStatus(run: run).evidence(complete: complete)
    Terminal.out(ConsoleSummary.render(run, color: Terminal.supportsColor, exit: status))
    if let line = Evidence.reportsLine(folder, written: written, events: true) {
      Terminal.out("\(line); each rig's events and artifacts in rigs/<rig>/")
    }
    let historyFailure = store.flatMap { HistoryRecorder.recordFinished(folder: directory, into: $0) }
    return ExitCode(status == .allPassed ? historyFailure ?? 0 : status.rawValue)
  }

  /// The run as its `events.ndjson` says (read back as written, times to the millisecond, so
  /// `rig report` on the folder gives these very reports), its reports written, every file that
  /// could not be written named; then the log is closed.
  private static func writeReports(folder: RunFolder, log: PoolLog, history store: HistoryStore?) -> (RunResult, [String], Bool) {
    let written = try? EventLogReader.read(folder.url.appendingPathComponent("events.ndjson")).events
    let run = (try? RunResultBuilder.build(written ?? log.recorded))
      ?? RunResult(runID: "", suite: "", rig: "", startedAt: Date(), duration: 0, properties: [], tests: [])
    let noted = folder.failures.count
    var reports: [String] = []
    var rendered = true
    do {
      // report.html: each test's frames from its rig's folder, and the history of each test.
      let history = store.map { ReportHistoryLookup.lookup(run, folder: folder.url, store: $0, requested: nil) }
      reports = try ReportWriter.write(
        run, to: folder, attachmentRoot: folder.location, frames: FrameTableFiles.read(run, in: folder.url),
        history: history ?? .none)
    } catch {
      Terminal.error("error: \(ErrorText.describe(error))")
      rendered = false
    }
    let complete = Evidence.account(folder.failures, noting: noted, events: log.writerForNotes) && rendered
    log.close()
    return (run, reports, complete)
  }

  /// The pool's `run_started`: every unit as a planned test, and the run's properties.
  private func runStart(_ loaded: Loaded, units: [WorkUnit], runID: String, identity: RunIdentity) -> RunStart {
    let names = loaded.rigs.map(\.name)
    return RunStart(
      runID: runID, suite: loaded.suite.name, suiteFile: loaded.suite.file.displayPath,
      rig: pool?.name ?? names.joined(separator: "+"),
      rigFile: pool?.file.displayPath ?? loaded.rigs.map(\.file.displayPath).joined(separator: ", "),
      startedAt: Date(),
      plannedTests: units.map {
        PlannedTest(
          name: $0.name, classname: loaded.suite.name, clip: $0.test.clip.directory.displayPath,
          frames: $0.test.clip.frameCount, tags: $0.test.tags, clipHash: identity.clipHashes[$0.test.name],
          limits: $0.test.limits, relativeLimits: $0.test.relativeLimits.isEmpty ? nil : $0.test.relativeLimits,
          rig: $0.boundRig)
      },
      properties: [
        .init("run.id", runID), .init("suite.file", loaded.suite.file.displayPath),
        .init("tool.version", "rig \(Rig.version)"), .init("timestamp.tz", "UTC"),
        .init("pool.rigs", names.joined(separator: ",")), .init("pool.mode", eachRig ? "each-rig" : "once"),
      ] + (pool.map { [RunResult.Property("pool.name", $0.name)] } ?? []) + loaded.choice.properties
        // What the rigs share; each rig's own (rig file, board, simulator) is in its section.
        + identity.properties.filter { !["rig.", "board.", "sim."].contains(where: $0.name.hasPrefix) })
  }
}

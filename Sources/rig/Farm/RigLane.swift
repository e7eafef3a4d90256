// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

/// What every rig of a pool shares: the suite, the run folder, the work queue and the logs.
struct PoolContext: Sendable {
  var suite: Suite
  var runID: String
  var directory: URL
  /// The run's folder; each rig writes into its own part of it.
  var folder: RunFolder
  var units: [WorkUnit]
  var queue: WorkQueue
  var log: PoolLog
  var progress: PoolProgress
  /// Why the run is being stopped (the signal), read when a rig sees cancellation.
  var interruption: @Sendable () -> String?
  var noFlash: Bool
  var forceFlash: Bool
  var verbose: Bool
  /// More run properties for each rig's own `run_started` (how the tests were chosen).
  var properties: [RunResult.Property]
  /// What the rigs' locks say the run is doing.
  var purpose: String
  /// The run's identity as read for the first rig, its clip hashes shared by all.
  var identity: RunIdentity?
}

/// One rig of a pool, from start to safe state: leave it out if quarantined, take its locks,
/// open its bench, run its health check, then run the tests it takes from the queue with its own
/// runner (board strategy, watchdog, logs and artifacts under `rigs/<rig>/`), and switch it off.
///
/// Whatever becomes of the rig is recorded as its state in the run-level log, with the reason;
/// the queue is told when it takes no more work, so its share goes to the others.
struct RigLane: Sendable {
  var index: Int
  var rig: RigConfiguration
  /// The rig's golden suite, when its rig file names one.
  var health: Suite?
  var pool: PoolContext

  func run() async {
    guard let (lock, bench) = await prepare() else {
      await pool.queue.close(index)
      return
    }
    let sink = ArtifactSubfolder(pool.folder, PoolLayout.rigFolder(rig.name))
    let progress = pool.progress
    let name = rig.name
    let ownLog: EventLogWriter?
    do {
      ownLog = try EventLogWriter(sink: sink)
    } catch {
      progress.eventLogFailed(error)
      ownLog = nil
    }
    let watch = BenchWatch()
    let feed = LaneFeed(queue: pool.queue, units: pool.units, lane: index, rig: rig.name, watch: watch, log: pool.log)
    var plan = RunPlan(
      suite: pool.suite, tests: [], rig: rig, runID: pool.runID,
      reportDirectory: pool.directory.appendingPathComponent(sink.prefix), toolVersion: "rig \(Rig.version)", files: LocalFileAccess())
    plan.identity = try? RunIdentity.read(suite: pool.suite, tests: [], rig: rig, board: BoardLookup.board(of: rig), files: LocalFileAccess())
    plan.identity?.clipHashes = pool.identity?.clipHashes ?? [:]
    plan.forceFlash = pool.forceFlash
    plan.noFlash = pool.noFlash
    plan.feed = feed
    plan.properties = pool.properties
    record(.running)
    let runner = SuiteRunner(
      plan: plan, bench: watch.watching(bench), artifacts: sink,
      events: { event in
        do { try ownLog?.append(event) } catch { progress.eventLogFailed(error) }
        feed.observe(event.event)
        progress.event(rig: name, event)
      },
      frames: { test, outcome in progress.frame(rig: name, test: test, outcome) },
      interruptionReason: pool.interruption)
    let result = await runner.run()
    await feed.settle()
    ownLog?.close()
    // Released outside the cancelled task, as the power-off was: cleanup is not to be cut short.
    await Task.detached { await bench.close() }.value
    lock.release()
    let removal = feed.removal
    record(
      removal == nil ? .finished : .removed, reason: removal.map { "taken out of the pool: \($0)" },
      properties: result.properties)
    await pool.queue.close(index)
  }

  /// The rig's locks and open bench, health check passed; nil when the rig is out (its state
  /// recorded with the reason).
  private func prepare() async -> (RigLock, Bench)? {
    do {
      try QuarantineStore.refuseIfQuarantined(rig)
    } catch {
      record(.quarantined, reason: "\(error)")
      return nil
    }
    // A suite naming an image runs on that image or not at all, unless the user says so.
    if !pool.noFlash, let issue = FlasherRequirement.issue(suite: pool.suite, rig: rig) {
      record(.unavailable, reason: issue.description)
      return nil
    }
    let lock: RigLock
    let bench: Bench
    do {
      lock = try RigLock.acquire(rig: rig, purpose: pool.purpose)
    } catch {
      record(.unavailable, reason: "\(error)")
      return nil
    }
    do {
      (bench, _) = try await BenchFactory.open(rig, verbose: pool.verbose)
    } catch {
      lock.release()
      record(.unavailable, reason: "\(error)")
      return nil
    }
    guard let health else { return (lock, bench) }
    let check = HealthCheckRun(
      rig: rig, suite: health, sink: ArtifactSubfolder(pool.folder, PoolLayout.healthFolder(rig.name)),
      runID: pool.runID, noFlash: pool.noFlash)
    let outcome = await check.run(on: bench)
    if outcome.passed && !Task.isCancelled {
      pool.log.record(.note(Note(level: .info, message: "\(rig.name) \(outcome.summary)")))
      return (lock, bench)
    }
    await Task.detached { await bench.close() }.value
    lock.release()
    if Task.isCancelled {
      record(.unavailable, reason: "the run was interrupted during its health check")
    } else {
      var reason = outcome.summary
      do {
        try QuarantineStore.quarantine(rig, reason: outcome.summary, run: pool.runID)
        reason += "; quarantined until 'rig health' passes on it"
      } catch {
        reason += "; and \(error)"
      }
      record(.quarantined, reason: reason)
    }
    return nil
  }

  private func record(
    _ state: RigRun.State, reason: String? = nil, properties: [RunResult.Property] = []
  ) {
    let change = RigRun(
      name: rig.name, file: rig.file.displayPath, board: rig.board, state: state, reason: reason,
      properties: properties)
    pool.log.record(.rigState(change))
    pool.progress.rigState(change)
  }
}

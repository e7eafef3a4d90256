// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem

extension Rig {
  /// A rig's health check on its own, and its quarantine kept accordingly.
  struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run rigs' health checks; quarantine the failing, bring back the passing.",
      discussion: """
        Each rig's golden suite (health: in its rig file) runs on its bench, as rig run does \
        before a suite; the rigs are checked at once. A rig that fails is quarantined (left out \
        of later runs); a quarantined rig that passes is back in service. --clear takes rigs \
        out of quarantine without a check. Quarantine files: $RIG_STATE_DIR/quarantine/, else \
        ${XDG_STATE_HOME:-~/.local/state}/rig/quarantine/ (docs/farm.md §3). Exit code: 0 every \
        rig healthy, 3 a rig failed its check or could not be checked, 64 usage, 69 no rig \
        could be checked, 78 bad configuration.
        """)

    @Option(name: .long, help: "Rig file to check (repeat for several).")
    var rig: [String] = []

    @Option(name: .long, help: "Pool file: check every rig it lists.")
    var pool: String?

    @Flag(name: .long, help: "Take the rigs out of quarantine without running their checks.")
    var clear = false

    @Option(name: .long, help: "Folder for the checks' run folders.")
    var reports: String = "Reports"

    @Flag(name: .customLong("no-flash"), help: "Check on the image each board holds, without flashing the golden suite's.")
    var noFlash = false

    func run() async throws {
      let rigs: [RigConfiguration]
      do {
        rigs = try loadRigs()
      } catch {
        throw Failure.exit(error)
      }
      if clear {
        for rig in rigs {
          let was = QuarantineStore.entry(for: rig.name)
          do { try QuarantineStore.clear(rig.name) } catch { throw Failure.exit(error) }
          Terminal.out("\(rig.name): " + (was.map { "quarantine cleared (was \($0.summary))" } ?? "not quarantined"))
        }
        return
      }
      throw await HealthRound(rigs: rigs, reports: reports, noFlash: noFlash).run()
    }

    private func loadRigs() throws -> [RigConfiguration] {
      var files = try pool.map { try PoolLoader.load(URL(fileURLWithPath: $0), files: LocalFileAccess()).rigs } ?? []
      files += rig.map { URL(fileURLWithPath: $0).standardizedFileURL }.filter { !files.contains($0) }
      guard !files.isEmpty else { throw RigError(.usage, "give the rigs to check: --rig FILE (repeat) or --pool FILE") }
      var issues: [ConfigIssue] = []
      var rigs: [RigConfiguration] = []
      for file in files {
        do {
          let rig = try RigLoader.load(file, files: LocalFileAccess())
          if let check = rig.health, !clear { _ = try SuiteLoader.load(check.suite, files: LocalFileAccess()) }
          rigs.append(rig)
        } catch { issues += error.issues }
      }
      guard issues.isEmpty else { throw ConfigError(issues) }
      let without = rigs.filter { $0.health == nil }
      if !without.isEmpty && !clear {
        throw RigError(
          .usage,
          "\(without.map { "\($0.name) (\($0.file.displayPath))" }.joined(separator: ", ")) name"
            + "\(without.count == 1 ? "s" : "") no health check: add health: { suite: … } to the rig file (docs/farm.md §3)")
      }
      return rigs
    }
  }
}

/// One `rig health`: every rig's check at once, each under its own locks, into one folder.
struct HealthRound {
  var rigs: [RigConfiguration]
  var reports: String
  var noFlash: Bool

  enum Verdict: Sendable {
    case healthy(String)
    case unhealthy(String)
    case unavailable(String)
  }

  func run() async -> ExitCode {
    let runID = RunID.make(date: Date(), suite: "health", avoiding: URL(fileURLWithPath: reports))
    let directory = URL(fileURLWithPath: reports).appendingPathComponent(runID)
    let folder: RunFolder
    do {
      folder = try RunFolder.create(directory)
    } catch {
      return Failure.exit(error)
    }
    let rigs = self.rigs
    let noFlash = self.noFlash
    let verdicts = await SignalTrap().run { () -> [Verdict] in
      await withTaskGroup(of: (Int, Verdict).self) { group in
        for (index, rig) in rigs.enumerated() {
          group.addTask { (index, await Self.check(rig, into: folder, runID: runID, noFlash: noFlash)) }
        }
        var verdicts = [Verdict](repeating: .unavailable("not checked"), count: rigs.count)
        for await (index, verdict) in group { verdicts[index] = verdict }
        return verdicts
      }
    }
    var unavailable = 0
    var bad = 0
    for (rig, verdict) in zip(rigs, verdicts) {
      switch verdict {
      case .healthy(let text): Terminal.out("\(rig.name): \(text)")
      case .unhealthy(let text):
        bad += 1
        Terminal.out("\(rig.name): \(text)")
      case .unavailable(let text):
        unavailable += 1
        Terminal.out("\(rig.name): not checked: \(text)")
      }
    }
    Terminal.out("health checks: \(directory.displayPath)/")
    if unavailable == rigs.count { return ExitCode(ExitStatus.hardwareUnavailable.rawValue) }
    return bad + unavailable == 0 ? .success : ExitCode(ExitStatus.benchDegraded.rawValue)
  }

  /// One rig: locks, bench, golden suite, quarantine kept.
  static func check(_ rig: RigConfiguration, into folder: RunFolder, runID: String, noFlash: Bool) async -> Verdict {
    guard let health = rig.health, let suite = try? SuiteLoader.load(health.suite, files: LocalFileAccess()) else {
      return .unavailable("no health check")
    }
    let lock: RigLock
    let bench: Bench
    do {
      lock = try RigLock.acquire(rig: rig, purpose: "rig health")
      do {
        (bench, _) = try await BenchFactory.open(rig)
      } catch {
        lock.release()
        throw error
      }
    } catch {
      return .unavailable("\(error)")
    }
    let outcome = await HealthCheckRun(
      rig: rig, suite: suite, sink: ArtifactSubfolder(folder, rig.name), runID: runID,
      noFlash: noFlash
    ).run(on: bench)
    await Task.detached { await bench.close() }.value
    lock.release()
    if Task.isCancelled { return .unavailable("interrupted") }
    if outcome.passed {
      let was = QuarantineStore.entry(for: rig.name)
      do { try QuarantineStore.clear(rig.name) } catch { return .unhealthy("\(outcome.summary), but \(error)") }
      return .healthy(outcome.summary + (was == nil ? "" : "; out of quarantine, back in service"))
    }
    do {
      try QuarantineStore.quarantine(rig, reason: outcome.summary, run: runID)
    } catch {
      return .unhealthy("\(outcome.summary); and \(error)")
    }
    return .unhealthy("\(outcome.summary); quarantined")
  }
}

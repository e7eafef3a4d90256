// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

/// The health check before a run on one rig: the rig's golden suite on its open bench, into
/// `health/` of the run folder. A rig that fails it is quarantined and the run does not start
/// (every test errored with why, exit 69), as a pool would leave that rig out.
enum HealthGate {
  static func check(_ rig: RigConfiguration, on bench: Bench, run plan: RunPlan, folder: any ArtifactSink) async throws {
    guard let health = rig.health else { return }
    let suite = try SuiteLoader.load(health.suite, files: LocalFileAccess())
    let outcome = await HealthCheckRun(
      rig: rig, suite: suite, sink: ArtifactSubfolder(folder, "health"), runID: plan.runID, noFlash: plan.noFlash
    ).run(on: bench)
    try Task.checkCancellation()
    guard !outcome.passed else {
      Terminal.out("  \(rig.name) \(outcome.summary)")
      return
    }
    var reason = "rig '\(rig.name)' \(outcome.summary)"
    do {
      try QuarantineStore.quarantine(rig, reason: outcome.summary, run: plan.runID)
      reason += "; it is quarantined until 'rig health --rig \(rig.file.displayPath)' passes"
    } catch {
      reason += "; and \(error)"
    }
    throw RigError(.hardwareUnavailable, reason)
  }
}

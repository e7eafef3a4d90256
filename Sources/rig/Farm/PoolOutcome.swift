// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// The end of a pool's run, once every rig is done: a result for each unit no rig finished, with
/// the reason, and `run_finished` with the run's exit status.
///
/// A unit no rig of the pool could ever run (a tag none carries) is skipped with why; one whose
/// rigs all dropped out is errored with what became of each; one a broken rig gave back that no
/// other rig could take keeps that rig's errored attempt; after a signal, the rest are
/// interrupted. If no rig could start at all, the run is "hardware unavailable" (69).
struct PoolOutcome {
  var context: PoolContext
  var rigs: [RigConfiguration]

  func record(interruption: String?) async {
    let log = context.log
    let states = lastStates()
    for leftover in await context.queue.leftovers() {
      log.record(.testFinished(result(for: leftover, states: states, interruption: interruption)))
    }
    let ranAny = states.values.contains { $0.state == .finished || $0.state == .removed }
    var failure: StartFailure?
    if !ranAny && interruption == nil {
      let reasons = rigs.map { rig in
        "\(rig.name) \(states[rig.name]?.state.rawValue ?? "unavailable"): \(states[rig.name]?.reason ?? "no reason recorded")"
      }
      failure = StartFailure(
        reason: "no rig of the pool could start: " + reasons.joined(separator: "; "),
        exitStatus: ExitStatus.hardwareUnavailable.rawValue)
    }
    let preliminary = (try? RunResultBuilder.build(log.recorded + [TimedEvent(.runFinished(RunFinish(
      interruption: interruption, exitStatus: 0, startFailure: failure)))]))
    let status = preliminary.map { ExitStatus(run: $0) } ?? .software
    log.record(.runFinished(RunFinish(interruption: interruption, exitStatus: status.rawValue, startFailure: failure)))
  }

  /// The last recorded state of each rig.
  private func lastStates() -> [String: RigRun] {
    var states: [String: RigRun] = [:]
    for timed in context.log.recorded {
      if case .rigState(let rig) = timed.event { states[rig.name] = rig }
    }
    return states
  }

  private func result(for leftover: WorkQueue.Leftover, states: [String: RigRun], interruption: String?) -> TestResult {
    let unit = context.units[leftover.unit]
    let classname = context.suite.name
    if let skip = unit.test.skipReason {
      return TestResult(name: unit.name, classname: classname, verdict: .skipped, message: skip, rig: unit.boundRig)
    }
    if let obstacle = unit.obstacle {
      return TestResult(name: unit.name, classname: classname, verdict: .skipped, message: obstacle, rig: unit.boundRig)
    }
    if var last = leftover.lastResult {
      last.details = [last.details, "no other rig of the pool could take it"].compactMap { $0 }.joined(separator: "\n")
      return last
    }
    if let interruption {
      return TestResult(
        name: unit.name, classname: classname, verdict: .errored,
        message: "not run: the run was interrupted (\(interruption))", errorType: "Interrupted", rig: unit.boundRig)
    }
    let why = unit.rigs.map { index -> String in
      let name = rigs[index].name
      guard let state = states[name] else { return "\(name): never started" }
      return "\(name) \(state.state.rawValue)" + (state.reason.map { ": \($0)" } ?? "")
    }
    return TestResult(
      name: unit.name, classname: classname, verdict: .errored,
      message: "not run: every rig that can run it is out (\(why.joined(separator: "; ")))",
      errorType: "RigUnavailable", details: why.joined(separator: "\n"), rig: unit.boundRig)
  }
}

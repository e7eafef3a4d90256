// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// One rig's view of its pool's work queue, handed to its runner as its `TestFeed`.
///
/// Before each test it settles the one before: a result is the unit's, unless the rig was found
/// broken while running it (`BenchWatch`), in which case the unit goes back to the queue for the
/// other rigs, its attempt kept in case none can take it. It stops handing out tests as soon as
/// the rig is broken.
final class LaneFeed: TestFeed {
  private let queue: WorkQueue
  private let units: [WorkUnit]
  private let lane: Int
  private let rig: String
  private let watch: BenchWatch
  /// The run-level log, where a unit's start and final result are recorded under its name.
  private let log: PoolLog

  private struct State {
    var current: Int?
    /// The runner's result for `current`, not yet settled.
    var result: TestResult?
    /// Why the rig is out, once it is.
    var removal: String?
  }

  private let state = Locked(State())

  init(queue: WorkQueue, units: [WorkUnit], lane: Int, rig: String, watch: BenchWatch, log: PoolLog) {
    self.queue = queue
    self.units = units
    self.lane = lane
    self.rig = rig
    self.watch = watch
    self.log = log
  }

  /// Why the rig was taken out of the pool, if it was.
  var removal: String? { state.withLock { $0.removal } ?? watch.reason }

  func next() async -> TestCase? {
    await settle()
    if removal != nil { return nil }
    guard let unit = await queue.next(for: lane) else { return nil }
    state.withLock { $0.current = unit }
    return units[unit].test
  }

  func rigFailed(_ reason: String) async {
    state.withLock { if $0.removal == nil { $0.removal = reason } }
  }

  /// The runner's events, on their way to the rig's own log: a test's start and result are also
  /// the unit's, in the run-level log (the result once settled).
  func observe(_ event: RunEvent) {
    switch event {
    case .testStarted(let start):
      guard let unit = state.withLock({ $0.current }) else { return }
      log.record(.testStarted(TestStart(name: units[unit].name, attempt: start.attempt)))
    case .testFinished(let result):
      state.withLock { $0.result = result }
    default:
      break
    }
  }

  /// Records the last unit's result, or gives the unit back when the rig broke under it.
  func settle() async {
    let (unit, result) = state.withLock { s in
      defer { (s.current, s.result) = (nil, nil) }
      return (s.current, s.result)
    }
    guard let unit, let result else { return }
    var final = result
    final.name = units[unit].name
    final.rig = rig
    final.attachments = result.attachments.map { "\(PoolLayout.rigFolder(rig))/\($0)" }
    if let broken = watch.reason, result.verdict == .errored, !Task.isCancelled,
      await queue.canReassign(unit, from: lane)
    {
      log.record(.note(Note(
        level: .warning,
        message: "\(rig) broke while running \(final.name) (\(broken)); the test goes to another rig",
        test: final.name)))
      final.details = ["first attempted on \(rig), which broke: \(broken)", final.details].compactMap { $0 }
        .joined(separator: "\n")
      await queue.giveBack(unit, result: final)
      return
    }
    if let earlier = await queue.interruptedAttempt(unit), let rigBefore = earlier.rig {
      let why = earlier.details?.split(separator: "\n").first.map(String.init) ?? "it broke"
      final.details = ["\(why); then run on \(rig)" + (rigBefore == rig ? " again" : ""), final.details]
        .compactMap { $0 }.joined(separator: "\n")
    }
    log.record(.testFinished(final))
    await queue.finished(unit)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// The tests a pool's rigs share: each rig's runner takes the next unit it can run when it is
/// free, so fast rigs take more and a rig that drops out leaves its share to the others.
///
/// A rig asking for work while none it can run is waiting, but another rig holds a unit it could
/// run, waits: that rig may yet be taken out and its unit come back. Cancellation (a signal)
/// wakes every waiting rig with no work.
public actor WorkQueue {
  /// What became of a unit no rig finished.
  public struct Leftover: Sendable {
    public var unit: Int
    /// The result of its attempt on a rig that was taken out while running it, if there was one.
    public var lastResult: TestResult?
  }

  private let units: [WorkUnit]
  /// Units not yet handed out, in dispatch order.
  private var pending: [Int]
  /// Unit → the rig running it.
  private var running: [Int: Int] = [:]
  private var done: Set<Int> = []
  /// Rigs that may still take work (starting or running).
  private var open: Set<Int>
  /// The attempt of a unit whose rig was taken out while running it.
  private var interrupted: [Int: TestResult] = [:]
  private var waiting: [CheckedContinuation<Void, Never>] = []
  private var cancelled = false

  public init(units: [WorkUnit], rigs: Int) {
    self.units = units
    pending = WorkUnit.dispatchOrder(units).filter { !units[$0].rigs.isEmpty }
    open = Set(0..<rigs)
  }

  /// The next unit for `rig`, or nil when there is none left for it (or the pool is cancelled).
  public func next(for rig: Int) async -> Int? {
    while !cancelled {
      if let position = pending.firstIndex(where: { units[$0].rigs.contains(rig) }) {
        let unit = pending.remove(at: position)
        running[unit] = rig
        return unit
      }
      let mayComeBack = running.contains { unit, holder in holder != rig && units[unit].rigs.contains(rig) }
      guard mayComeBack else { return nil }
      await withCheckedContinuation { waiting.append($0) }
    }
    return nil
  }

  /// `unit` has its result.
  public func finished(_ unit: Int) {
    running[unit] = nil
    done.insert(unit)
    wakeAll()
  }

  /// `rig` was taken out while running `unit`: the unit goes back to the front of the queue for
  /// the other rigs, with `result` kept in case none of them can run it.
  public func giveBack(_ unit: Int, result: TestResult) {
    running[unit] = nil
    interrupted[unit] = result
    pending.insert(unit, at: 0)
    wakeAll()
  }

  /// `rig` takes no more work (it finished, was taken out, or never started).
  public func close(_ rig: Int) {
    open.remove(rig)
    wakeAll()
  }

  /// Stops handing out work: every waiting rig gets nil.
  public func cancel() {
    cancelled = true
    wakeAll()
  }

  /// Whether any open rig other than `rig` could run `unit`: a unit given back by `rig` goes to
  /// one of them, else its attempt on `rig` is its result.
  public func canReassign(_ unit: Int, from rig: Int) -> Bool {
    units[unit].rigs.contains { $0 != rig && open.contains($0) }
  }

  /// The attempt of `unit` on a rig that broke under it, if it had one.
  public func interruptedAttempt(_ unit: Int) -> TestResult? { interrupted[unit] }

  /// Units no rig finished, once every rig is closed: those no rig could take, those left when
  /// the rigs that could were taken out, and those given back with nobody to take them.
  public func leftovers() -> [Leftover] {
    units.indices.filter { !done.contains($0) }.map { Leftover(unit: $0, lastResult: interrupted[$0]) }
  }

  private func wakeAll() {
    let woken = waiting
    waiting.removeAll()
    for continuation in woken { continuation.resume() }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// One piece of a pool's work: a test, for any rig of the pool that can run it, or for one rig
/// (`--each-rig`, where every rig runs every test it can).
public struct WorkUnit: Sendable {
  /// The name in the reports: the test's, or `<test>@<rig>` with `--each-rig` so that each rig's
  /// result keeps its own identity from night to night.
  public var name: String
  public var test: TestCase
  /// Indices (in the pool's rig order) of the rigs that may run it.
  public var rigs: [Int]
  /// The one rig it is for, with `--each-rig`.
  public var boundRig: String?
  /// Why no rig of the pool can run it, when `rigs` is empty.
  public var obstacle: String?

  /// The units of `tests` on `rigs`: one per test, or one per test and rig with `eachRig`.
  /// Skipped tests are units too (their runner reports them skipped).
  public static func plan(_ tests: [TestCase], on rigs: [RigConfiguration], eachRig: Bool) -> [WorkUnit] {
    var units: [WorkUnit] = []
    for test in tests {
      let obstacles = rigs.map { RigCompatibility.obstacle(to: test, on: $0) }
      if eachRig {
        for (index, rig) in rigs.enumerated() {
          let allowed = obstacles[index] == nil ? [index] : []
          units.append(WorkUnit(
            name: "\(test.name)@\(rig.name)", test: test, rigs: allowed, boundRig: rig.name,
            obstacle: obstacles[index].map { "\(rig.name) cannot run it: \($0)" }))
        }
      } else {
        let allowed = rigs.indices.filter { obstacles[$0] == nil }
        let why = zip(rigs, obstacles).compactMap { rig, obstacle in obstacle.map { "\(rig.name): \($0)" } }
        units.append(WorkUnit(
          name: test.name, test: test, rigs: allowed,
          obstacle: allowed.isEmpty ? "no rig of the pool can run it (\(why.joined(separator: "; ")))" : nil))
      }
    }
    return units
  }

  /// The order a pool hands units out in: longest expected first, so that the last tests to
  /// start are short ones and the rigs finish close together; suite order between equals.
  public static func dispatchOrder(_ units: [WorkUnit]) -> [Int] {
    units.indices.sorted { a, b in
      let (da, db) = (ExpectedDuration.seconds(units[a].test), ExpectedDuration.seconds(units[b].test))
      return da != db ? da > db : a < b
    }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// One part of a suite split across hosts (`--shard 2/5`): each host runs a deterministic share
/// of the tests, the shares balanced by expected duration, and `rig report merge` puts the runs
/// back together.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
  /// 1-based: shard `index` of `count`.
  public var index: Int
  public var count: Int

  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// `k/n` with 1 ≤ k ≤ n.
  public init(parsing text: String) throws(RigError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
      throw RigError(
        .usage,
        "--shard \(text): give the shard as k/n with 1 ≤ k ≤ n, such as --shard 2/5 for the second of five")
    }
    self.init(index: k, count: n)
  }

  public var description: String { "\(index)/\(count)" }

  /// The shard (0-based) each of `tests` belongs to when split `count` ways: longest expected
  /// first, each to the shard with the least expected time so far (the lowest-numbered of equal
  /// ones), ties in duration kept in suite order. The same tests give the same answer on every
  /// host, whatever its rigs.
  public static func assignment(of tests: [TestCase], count: Int) -> [Int] {
    let order = tests.indices.sorted { a, b in
      let (da, db) = (ExpectedDuration.seconds(tests[a]), ExpectedDuration.seconds(tests[b]))
      return da != db ? da > db : a < b
    }
    var load = [Double](repeating: 0, count: count)
    var shard = [Int](repeating: 0, count: tests.count)
    for test in order {
      let lightest = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 } ?? 0
      shard[test] = lightest
      load[lightest] += ExpectedDuration.seconds(tests[test])
    }
    return shard
  }

  /// This shard's tests, in suite order.
  public func select(_ tests: [TestCase]) -> [TestCase] {
    let assignment = Self.assignment(of: tests, count: count)
    return tests.indices.filter { assignment[$0] == index - 1 }.map { tests[$0] }
  }
}

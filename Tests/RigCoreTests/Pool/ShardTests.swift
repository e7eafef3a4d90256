// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("shards: a deterministic, balanced split of a suite")
struct ShardTests {
  static let tests = [120, 60, 150, 200, 30, 30, 90, 45, 300, 15, 75, 60]
    .enumerated().map { PoolSamples.test("t\($0.offset)", frames: $0.element) }

  @Test("the shards of n cover every test exactly once, in suite order within each")
  func partition() {
    for count in 1...5 {
      let shards = (1...count).map { Shard(index: $0, count: count).select(Self.tests) }
      #expect(shards.flatMap { $0 }.map(\.name).sorted() == Self.tests.map(\.name).sorted())
      for shard in shards {
        let positions = shard.map { test in Self.tests.firstIndex { $0.name == test.name }! }
        #expect(positions == positions.sorted())
      }
    }
  }

  @Test("balanced by expected duration: no shard above the average by more than the longest test")
  func balance() {
    let total = Self.tests.reduce(0) { $0 + ExpectedDuration.seconds($1) }
    let longest = Self.tests.map(ExpectedDuration.seconds).max() ?? 0
    for count in 2...4 {
      let loads = (1...count).map { Shard(index: $0, count: count).select(Self.tests).reduce(0) { $0 + ExpectedDuration.seconds($1) } }
      #expect(loads.max()! <= total / Double(count) + longest, "\(loads)")
    }
    // Frames at the clip's own rate: 300 frames at 15 frames/s are 20 s.
    #expect(ExpectedDuration.seconds(Self.tests[8]) == 20)
  }

  @Test("the same tests give the same plan, whatever rig or host computes it")
  func deterministic() {
    #expect(Shard.assignment(of: Self.tests, count: 3) == Shard.assignment(of: Self.tests, count: 3))
    #expect(Shard.assignment(of: Self.tests, count: 3) == [2, 1, 2, 1, 1, 0, 1, 2, 0, 1, 2, 0])
  }

  @Test("k/n is parsed with 1 ≤ k ≤ n; anything else is a usage error saying how to write it")
  func parsing() throws {
    #expect(try Shard(parsing: "2/5") == Shard(index: 2, count: 5))
    for bad in ["0/3", "4/3", "2", "a/b", "1/0", "-1/2", "1/2/3"] {
      #expect(throws: RigError.self) { try Shard(parsing: bad) }
    }
  }
}

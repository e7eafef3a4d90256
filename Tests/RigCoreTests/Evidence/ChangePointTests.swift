// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("Change points across nightlies (E-divisive)")
struct ChangePointTests {
  /// Deterministic noise, standard deviation `sd`.
  private func noise(_ n: Int, sd: Double, seed: UInt64) -> [Double] {
    var random = SynthRandom(seed: seed)
    return (0..<n).map { _ in sd * random.normal() }
  }

  /// Q for a split, straight from the definition (O(m²)), to check the fast version against.
  private func bruteForceQ(_ x: [Double], _ tau: Int) -> Double {
    let a = Array(x[..<tau]), b = Array(x[tau...])
    func within(_ s: [Double]) -> Double {
      var sum = 0.0
      for i in s.indices { for j in s.indices where j > i { sum += abs(s[i] - s[j]) } }
      return sum
    }
    var cross = 0.0
    for u in a { for v in b { cross += abs(u - v) } }
    let p = Double(a.count), q = Double(b.count)
    let e = 2 * cross / (p * q) - 2 * within(a) / (p * (p - 1)) - 2 * within(b) / (q * (q - 1))
    return p * q / Double(x.count) * e
  }

  @Test("the fast energy statistic equals the definition at its best split, ties included")
  func energyMatchesDefinition() throws {
    let x = [3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4]
    var split = EnergySplit(x[...], minimumSegment: 2)
    let result = split.best()
    let best = try #require(result)
    let all = (2...(x.count - 2)).map { bruteForceQ(x, $0) }
    let expected = try #require(all.max())
    #expect(abs(best.statistic - expected) < 1e-9)
    #expect(abs(bruteForceQ(x, best.split) - expected) < 1e-9)
  }

  @Test("a worked split: [0, 0, 0, 10, 10, 10] splits at 3 with Q = 30")
  func workedSplit() throws {
    // Cross sum 9 × 10 = 90; within sums 0. Ê = 2·90/9 = 20; Q = 3·3/6 · 20 = 30.
    var split = EnergySplit([0.0, 0, 0, 10, 10, 10][...], minimumSegment: 2)
    let result = split.best()
    let best = try #require(result)
    #expect(best.split == 3 && abs(best.statistic - 30) < 1e-12)
  }

  @Test("one step is found where it happened, with its size")
  func oneStep() throws {
    let series = noise(60, sd: 0.3, seed: 1).enumerated().map { $0.element + ($0.offset >= 35 ? 36 : 33) }
    let changes = ChangePoints.find(in: series)
    let change = try #require(changes.first)
    #expect(changes.count == 1)
    #expect(change.index == 35)
    #expect(abs(change.size - 3) < 0.4)
    #expect(change.confidence >= 0.99)
    #expect(try #require(change.relativeSize) > 0.08)
  }

  @Test("two steps are both found")
  func twoSteps() {
    let series = noise(90, sd: 0.5, seed: 2).enumerated().map { i, e in
      e + (i < 30 ? 10 : i < 60 ? 14 : 11)
    }
    let changes = ChangePoints.find(in: series)
    #expect(changes.map(\.index) == [30, 60])
    #expect(changes[0].size > 3 && changes[1].size < -2)
  }

  @Test("noise only and a constant series have no change")
  func noChange() {
    for seed in UInt64(10)..<UInt64(15) {
      let series = noise(80, sd: 1, seed: seed).map { $0 + 35 }
      #expect(ChangePoints.find(in: series).isEmpty, "seed \(seed)")
    }
    #expect(ChangePoints.find(in: [Double](repeating: 186.5, count: 50)).isEmpty)
  }

  @Test("a slow ramp after a flat stretch is flagged inside the ramp")
  func ramp() throws {
    // 20 flat nights, then +1 % a night for 10 nights, on top of 0.5 % noise.
    let series = noise(30, sd: 0.175, seed: 4).enumerated().map { i, e in
      35 * (1 + 0.01 * Double(max(0, i - 19))) + e
    }
    let change = try #require(ChangePoints.find(in: series).first)
    #expect((20...27).contains(change.index))
    #expect(change.size > 0)
  }

  @Test("empty, short and non-finite input: no change, no crash; indices refer to the input")
  func degenerate() {
    #expect(ChangePoints.find(in: []).isEmpty)
    #expect(ChangePoints.find(in: [1, 2, 3]).isEmpty)
    var series = [Double](repeating: 1, count: 20) + [Double](repeating: 5, count: 20)
    series.insert(.nan, at: 5)
    let changes = ChangePoints.find(in: series)
    #expect(changes.map(\.index) == [21])
    #expect(changes.allSatisfy { !$0.before.isNaN && !$0.after.isNaN && !$0.pValue.isNaN })
  }

  @Test("the same series gives the same answer every time (fixed seed)")
  func deterministic() {
    let series = noise(50, sd: 1, seed: 9).enumerated().map { $0.element + ($0.offset > 25 ? 1.5 : 0) }
    #expect(ChangePoints.find(in: series) == ChangePoints.find(in: series))
  }
}

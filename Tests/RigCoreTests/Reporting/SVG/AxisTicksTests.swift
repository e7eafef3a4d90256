// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("Axis ticks")
struct AxisTicksTests {
  @Test("widens a range to round steps of 1, 2 or 5")
  func round() {
    let ticks = AxisTicks(minimum: 3.7, maximum: 37.2, count: 4)
    #expect(ticks.step == 10)
    #expect(ticks.lower == 0)
    #expect(ticks.upper == 40)
    #expect(ticks.values == [0, 10, 20, 30, 40])
    #expect(AxisTicks(minimum: 33.1, maximum: 35.04, count: 10).step == 0.2)
    #expect(AxisTicks.niceStep(0.3) == 0.5)
    #expect(AxisTicks.niceStep(1) == 1)
    #expect(AxisTicks.niceStep(1.1) == 2)
    #expect(AxisTicks.niceStep(7000) == 10000)
  }

  @Test("a constant series gets room around it, an empty one a unit axis")
  func degenerate() {
    let constant = AxisTicks(minimum: 185.3, maximum: 185.3, count: 4)
    #expect(constant.lower < 185.3 && constant.upper > 185.3)
    let zero = AxisTicks(minimum: 0, maximum: 0, count: 4, includeZero: true)
    #expect(zero.lower == 0 && zero.upper >= 1)
    let empty = AxisTicks(minimum: .infinity, maximum: -.infinity)
    #expect(empty.lower.isFinite && empty.upper.isFinite && empty.upper > empty.lower)
    let nan = AxisTicks(minimum: .nan, maximum: .nan)
    #expect(nan.lower.isFinite && nan.upper > nan.lower)
    let reversed = AxisTicks(minimum: 10, maximum: 2)
    #expect(reversed.lower <= 2 && reversed.upper >= 10)
  }

  @Test("includes zero on request and keeps whole steps where fractions mean nothing")
  func options() {
    #expect(AxisTicks(minimum: 30, maximum: 40, includeZero: true).lower == 0)
    #expect(AxisTicks(minimum: -5, maximum: -2, includeZero: true).upper == 0)
    let frames = AxisTicks(minimum: 0, maximum: 3, count: 8, minimumStep: 1)
    #expect(frames.step == 1)
    #expect(frames.values == [0, 1, 2, 3])
  }

  @Test("labels use the decimals the step needs and shorten thousands")
  func labels() {
    let fine = AxisTicks(minimum: 0, maximum: 1, count: 4)
    #expect(fine.values.map(fine.label) == ["0.0", "0.5", "1.0"])
    let half = AxisTicks(minimum: 0, maximum: 2, count: 4)
    #expect(half.label(1.5) == "1.5")
    let frames = AxisTicks(minimum: 0, maximum: 100_000, count: 5)
    #expect(frames.label(100_000) == "100k")
    #expect(frames.label(20_000) == "20k")
    #expect(AxisTicks(minimum: 0, maximum: 60, count: 6).label(60) == "60")
    #expect(AxisTicks(minimum: -1, maximum: 1, count: 4).label(-0.5) == "-0.5")
  }

  @Test("never produces an unbounded number of ticks")
  func bounded() {
    let huge = AxisTicks(minimum: 0, maximum: 1e300, count: 5)
    #expect(huge.values.count <= 101)
    let tiny = AxisTicks(minimum: 0, maximum: 1e-300, count: 5)
    let finite = tiny.values.allSatisfy { $0.isFinite }
    #expect(finite)
  }
}

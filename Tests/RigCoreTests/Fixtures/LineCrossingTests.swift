// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite struct LineCrossingTests {
  let down = CountingLine(orientation: .horizontal, position: 48)

  @Test("moving from above the line onto it is in; moving back above it is out")
  func horizontal() {
    #expect(LineCrossing.between((10, 47.9), (10, 48), line: down) == .in)
    #expect(LineCrossing.between((10, 48), (10, 47.99), line: down) == .out)
    #expect(LineCrossing.between((10, 20), (90, 47.5), line: down) == nil)
    #expect(LineCrossing.between((10, 48), (10, 90), line: down) == nil)
  }

  @Test("'decreasing' swaps in and out")
  func decreasing() {
    let up = CountingLine(orientation: .horizontal, position: 48, inDirection: .decreasing)
    #expect(LineCrossing.between((0, 60), (0, 40), line: up) == .in)
    #expect(LineCrossing.between((0, 40), (0, 60), line: up) == .out)
  }

  @Test("vertical lines use the column")
  func vertical() {
    let line = CountingLine(orientation: .vertical, position: 30)
    #expect(LineCrossing.between((29, 0), (31, 95), line: line) == .in)
    #expect(LineCrossing.between((31, 10), (12, 10), line: line) == .out)
    #expect(LineCrossing.between((10, 0), (10, 95), line: line) == nil)
  }
}

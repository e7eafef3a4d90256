// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("Frame matcher")
struct FrameMatcherTests {
  /// A matcher that sent frames with CRCs 100, 101, …
  func matcher(sent n: Int) -> FrameMatcher {
    var m = FrameMatcher()
    for i in 0..<n { m.sent(crc: UInt32(100 + i)) }
    return m
  }

  @Test func recordsInOrderMatchTheirFrames() {
    var m = matcher(sent: 3)
    #expect(m.resolve(crc: 100) == .matched(index: 0, dropped: 0..<0))
    #expect(m.resolve(crc: 101) == .matched(index: 1, dropped: 1..<1))
    #expect(m.resolve(crc: 102) == .matched(index: 2, dropped: 2..<2))
    #expect(m.isComplete)
  }

  @Test func aRecordForALaterFrameDropsTheFramesBetween() {
    var m = matcher(sent: 5)
    #expect(m.resolve(crc: 103) == .matched(index: 3, dropped: 0..<3))
    #expect(m.nextExpected == 4)
  }

  @Test func aRepeatOfTheLastMatchedFrameIsADuplicate() {
    var m = matcher(sent: 3)
    _ = m.resolve(crc: 100)
    #expect(m.resolve(crc: 100) == .duplicate(index: 0))
    #expect(m.recognises(crc: 100))
  }

  @Test func aCRCOfNoFrameSentIsUnknown() {
    var m = matcher(sent: 3)
    #expect(!m.recognises(crc: 999))
    #expect(m.resolve(crc: 999) == .unknown)
    #expect(m.nextExpected == 0)
  }

  @Test func aRecordOutOfOrderIsFoundAmongTheFramesPassed() {
    var m = matcher(sent: 4)
    _ = m.resolve(crc: 100)
    _ = m.resolve(crc: 102)  // frame 1 given up
    #expect(m.resolve(crc: 101) == .unknown)
    #expect(m.passedFrame(crc: 101) == 1)
    #expect(m.passedFrame(crc: 103) == nil)  // not passed yet
    #expect(m.passedFrame(crc: 100, window: 1) == nil)  // further back than the window
  }

  @Test func consumeAccountsForAFrameWithoutItsCRC() {
    var m = matcher(sent: 4)
    #expect(m.consume(2) == 0..<2)
    #expect(m.consume(1) == 3..<3)  // already passed: nothing changes
    #expect(m.nextExpected == 3)
  }

  @Test func finishGivesUpOnEveryFrameLeft() {
    var m = matcher(sent: 4)
    _ = m.resolve(crc: 100)
    #expect(m.finish() == 1..<4)
    #expect(m.isComplete)
  }
}

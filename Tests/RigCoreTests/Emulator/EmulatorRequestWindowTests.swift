// SPDX-License-Identifier: Apache-2.0
@testable import RigCore
import Testing

@Suite("emulator link: the window of unanswered requests")
struct EmulatorRequestWindowTests {
  typealias Window = EmulatorRequestWindow<String>

  @Test("sequence numbers start at 1 and wrap past 65535 to 1, never 0")
  func numbering() {
    var window = Window(now: .now)
    let first = window.numberRequest(.hello, owner: "a", now: .now)
    #expect(first == 1)
    var last: UInt16 = 1
    for _ in 0..<65535 {
      last = window.numberRequest(.sync, owner: "s", now: .now)
      _ = window.answer(last, now: .now)
    }
    let next = window.numberRequest(.sync, owner: "s", now: .now)
    #expect(last == 1 && next == 2)
  }

  @Test("an answer marks every earlier unanswered request as lost, oldest first")
  func answersInOrder() throws {
    var window = Window(now: .now)
    let a = window.numberRequest(.loadBegin, owner: "begin", now: .now)
    let b = window.numberRequest(.loadData, owner: "data", now: .now)
    let c = window.numberRequest(.loadEnd, owner: "end", now: .now)
    let answer = window.answer(c, now: .now)
    let (lost, answered) = try #require(answer)
    #expect(lost.map(\.seq) == [a, b] && lost.map(\.owner) == ["begin", "data"])
    #expect(answered.seq == c && answered.type == .loadEnd)
    #expect(window.isEmpty)
    // A late or repeated answer matches nothing.
    let late = window.answer(a, now: .now)
    #expect(late == nil)
  }

  @Test("the size offered is kept within 1…64; full at that many unanswered")
  func size() {
    var window = Window(now: .now)
    #expect(window.size == 4)
    window.resize(offered: 0)
    #expect(window.size == 1)
    window.resize(offered: 500)
    #expect(window.size == 64)
    window.resize(offered: 2)
    _ = window.numberRequest(.status, owner: "1", now: .now)
    let fullAtOne = window.isFull
    #expect(!fullAtOne)
    _ = window.numberRequest(.status, owner: "2", now: .now)
    #expect(window.isFull && window.awaits(.status) && !window.awaits(.sync))
  }

  @Test("a chase is due once requests have waited the interval, and the wait starts again")
  func chase() {
    let start = ContinuousClock.now
    var window = Window(now: start)
    func due(_ ms: Int) -> Bool { window.chaseDue(now: start + .milliseconds(ms), after: .milliseconds(250)) }
    let idle = due(5000)  // nothing waits
    _ = window.numberRequest(.status, owner: "s", now: start)
    let checks = [due(100), due(300), due(400), due(600)]
    // An answer is progress: the wait counts from it.
    _ = window.numberRequest(.sync, owner: "chase", now: start + .milliseconds(600))
    _ = window.answer(1, now: start + .milliseconds(700))
    let afterAnswer = due(800)
    #expect(!idle && checks == [false, true, false, true] && !afterAnswer)
  }
}

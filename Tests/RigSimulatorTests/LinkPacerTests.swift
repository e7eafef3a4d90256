// SPDX-License-Identifier: Apache-2.0
import RigSimulator
import Testing

@Suite("LinkPacer: a simulated link's rate")
struct LinkPacerTests {
  let start = ContinuousClock.now

  @Test("a chunk keeps the link busy for its transfer time at the rate")
  func transferTime() {
    var pacer = LinkPacer(bytesPerSecond: 1_000_000, chunk: 4096)
    #expect(pacer.wait(now: start) == .zero)
    pacer.took(4096, now: start)
    #expect(pacer.wait(now: start) == .microseconds(4096))
    #expect(pacer.wait(now: start + .microseconds(4000)) == .microseconds(96))
    #expect(pacer.wait(now: start + .microseconds(4096)) == .zero)
  }

  @Test("waking late costs nothing: the next chunk is due from when the last one ended")
  func lateWake() {
    var pacer = LinkPacer(bytesPerSecond: 1_000_000, chunk: 4096)
    pacer.took(4096, now: start)
    // Woken 1 ms late: the second chunk counts from 4.096 ms, not from 5.096 ms.
    pacer.took(4096, now: start + .microseconds(5096))
    #expect(pacer.wait(now: start + .microseconds(5096)) == .microseconds(3096))
  }

  @Test("idle time is not stored up beyond one chunk")
  func burstCap() {
    var pacer = LinkPacer(bytesPerSecond: 1_000_000, chunk: 4096)
    pacer.took(4096, now: start)
    let later = start + .seconds(10)
    pacer.took(4096, now: later)
    pacer.took(4096, now: later)
    // Two chunks at once after a long idle spell: the first rides on one chunk of credit, the
    // second must wait its full time.
    #expect(pacer.wait(now: later) == .microseconds(4096))
  }

  @Test("a rate of zero never waits")
  func unlimited() {
    var pacer = LinkPacer(bytesPerSecond: 0)
    pacer.took(1 << 20, now: start)
    #expect(!pacer.isLimited)
    #expect(pacer.wait(now: start) == .zero)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("a pool's work: units, routing, the shared queue")
struct WorkQueueTests {
  @Test("a test goes only to rigs that can run it: required tags, the camera's format, a quarantine list")
  func routing() {
    var quarantined = PoolSamples.test("known-bad-on-b", frames: 10)
    quarantined.quarantinedOn["b"] = "quarantined: HW-77 (list.yaml:1)"
    let tests = [
      PoolSamples.test("any", frames: 10), PoolSamples.test("evkb", frames: 10, requires: ["evkb"]),
      PoolSamples.test("jpeg", frames: 10, format: .jpeg), quarantined,
      PoolSamples.test("nowhere", frames: 10, requires: ["teensy"]),
    ]
    let rigs = [PoolSamples.rig("a", format: .gray8), PoolSamples.rig("b", tags: ["evkb"])]
    let units = WorkUnit.plan(tests, on: rigs, eachRig: false)
    #expect(units.map(\.rigs) == [[0, 1], [1], [1], [0], []])
    #expect(units[4].obstacle == "no rig of the pool can run it (a: it lacks the tag teensy; b: it lacks the tag teensy)")
    #expect(RigCompatibility.obstacle(to: tests[2], on: rigs[0]) == "its camera serves gray8 and the clip is jpeg")
    #expect(RigCompatibility.obstacle(to: tests[3], on: rigs[1]) == "the test is quarantined: HW-77 (list.yaml:1)")
  }

  @Test("--each-rig: one unit per test and rig, named <test>@<rig>, each bound to its rig")
  func eachRig() {
    let units = WorkUnit.plan(
      [PoolSamples.test("t", frames: 10, requires: ["evkb"])],
      on: [PoolSamples.rig("a"), PoolSamples.rig("b", tags: ["evkb"])], eachRig: true)
    #expect(units.map(\.name) == ["t@a", "t@b"])
    #expect(units.map(\.rigs) == [[], [1]])
    #expect(units.map(\.boundRig) == ["a", "b"])
    #expect(units[0].obstacle == "a cannot run it: it lacks the tag evkb")
  }

  @Test("units are handed out longest first, each once, to the rigs that can run them")
  func dispatch() async {
    let tests = [10, 40, 20, 30].enumerated().map { PoolSamples.test("t\($0.offset)", frames: $0.element) }
    let queue = WorkQueue(units: WorkUnit.plan(tests, on: [PoolSamples.rig("a"), PoolSamples.rig("b")], eachRig: false), rigs: 2)
    var order: [Int] = []
    while let unit = await queue.next(for: order.count % 2) {
      order.append(unit)
      await queue.finished(unit)
    }
    #expect(order == [1, 3, 2, 0])
    #expect(await queue.leftovers().isEmpty)
  }

  @Test("a rig with nothing to run waits while another holds a unit it could run, and takes it when it comes back")
  func giveBack() async throws {
    let tests = [PoolSamples.test("only", frames: 10)]
    let queue = WorkQueue(units: WorkUnit.plan(tests, on: [PoolSamples.rig("a"), PoolSamples.rig("b")], eachRig: false), rigs: 2)
    let taken = await queue.next(for: 0)
    #expect(taken == 0)
    let waiting = Task { await queue.next(for: 1) }
    try await Task.sleep(for: .milliseconds(50))
    #expect(await queue.canReassign(0, from: 0))
    await queue.giveBack(0, result: TestResult(name: "only", classname: "s", verdict: .errored, rig: "a"))
    await queue.close(0)
    #expect(await waiting.value == 0, "the unit went to the rig that was waiting")
    #expect(await queue.interruptedAttempt(0)?.rig == "a")
    await queue.finished(0)
    #expect(await queue.next(for: 1) == nil)
  }

  @Test("a unit whose rigs all close is left over; cancelling wakes every waiting rig with nothing")
  func leftoversAndCancel() async throws {
    let tests = [PoolSamples.test("x", frames: 10), PoolSamples.test("y", frames: 20)]
    let queue = WorkQueue(units: WorkUnit.plan(tests, on: [PoolSamples.rig("a"), PoolSamples.rig("b")], eachRig: false), rigs: 2)
    #expect(await queue.next(for: 0) == 1)
    let waiting = Task { await queue.next(for: 1) }
    #expect(await waiting.value == 0, "the other unit was free")
    let idle = Task { await queue.next(for: 1) }
    try await Task.sleep(for: .milliseconds(50))
    await queue.cancel()
    #expect(await idle.value == nil)
    #expect(await queue.next(for: 0) == nil)
    await queue.close(0)
    await queue.close(1)
    #expect(await queue.leftovers().map(\.unit) == [0, 1], "nothing finished")
    #expect(!(await queue.canReassign(0, from: 1)))
  }
}

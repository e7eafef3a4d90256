// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("Flaky tests in history")
struct FlakyTestsTests {
  let v1 = EvidenceIdentity(firmwareHash: "aaaa1111", clipHash: "clip")
  let v2 = EvidenceIdentity(firmwareHash: "bbbb2222", clipHash: "clip")

  @Test("a verdict that flips with the same firmware and clip is flaky; one that follows the firmware is not")
  func flips() throws {
    let history = [
      TestOutcome(run: "n1", identity: v1, verdict: .passed),
      TestOutcome(run: "n2", identity: v1, verdict: .passed),
      TestOutcome(run: "n3", identity: v2, verdict: .failed),
      TestOutcome(run: "n4", identity: v2, verdict: .failed),
      TestOutcome(run: "n5", identity: v1, verdict: .errored),
    ]
    let found = FlakyTests.find(in: history)
    #expect(found.count == 1)
    let flip = try #require(found.first)
    #expect(flip.kind == .verdictFlipped && flip.identity == v1 && flip.runs == ["n1", "n5"])
    #expect(flip.reason == "errored in run n5 but passed in run n1 with the same firmware (aaaa1111) and clip: 2 of 3 runs passed")
  }

  @Test("a firmware key is the image and the version: a regressed build of the same image is other firmware")
  func firmwareKey() {
    #expect(EvidenceIdentity.firmwareKey(imageHash: "a3f1", version: "sim-1.0.0") == "a3f1/sim-1.0.0")
    #expect(EvidenceIdentity.firmwareKey(imageHash: "a3f1", version: "") == "a3f1")
    #expect(
      EvidenceIdentity.firmwareKey(imageHash: "a3f1", version: "sim-1.0.0+r.1a2b3c4d")
        != EvidenceIdentity.firmwareKey(imageHash: "a3f1", version: "sim-1.0.0"))
  }

  @Test("a pass after a retry is flaky; skipped runs and steady verdicts are not")
  func retries() {
    let history = [
      TestOutcome(run: "n1", identity: v1, verdict: .skipped),
      TestOutcome(run: "n2", identity: v1, verdict: .passed, passedOnRetry: true),
      TestOutcome(run: "n3", identity: v1, verdict: .passed),
    ]
    #expect(FlakyTests.find(in: history).map(\.kind) == [.passedOnRetry])
    #expect(FlakyTests.find(in: []).isEmpty)
    #expect(FlakyTests.find(in: [TestOutcome(run: "a", identity: v1, verdict: .failed),
                                 TestOutcome(run: "b", identity: v1, verdict: .failed)]).isEmpty)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// One test of one run as evidence: what history stores and what every comparison, baseline and
/// change-point search reads.
///
/// It holds the test's aggregate metrics (as the run scored them) and its per-frame results
/// (`FrameSeries`), plus the identity keys that say whether two runs fed the same firmware the
/// same frames. This type is the contract between a run, the history store and the judgement in
/// `Evidence/`: fields are only ever added, with defaults, so stored evidence keeps loading.
public struct TestEvidence: Sendable, Equatable, Codable {
  /// The run this test belongs to (its run id), named in every judgement made against it.
  public var run: String
  /// The test's name in its suite.
  public var test: String
  public var identity: EvidenceIdentity
  /// The final verdict of the test.
  public var verdict: Verdict
  /// True when the test passed only after an earlier attempt failed or errored.
  public var passedOnRetry: Bool
  /// The metrics the run computed for the test (`count.exact_match`, `latency.p95_ms`, …).
  public var metrics: [MetricValue]
  /// One entry per frame of the clip the host accounted for, in any order.
  public var frames: FrameSeries

  public init(
    run: String, test: String, identity: EvidenceIdentity, verdict: Verdict,
    passedOnRetry: Bool = false, metrics: [MetricValue] = [], frames: FrameSeries = FrameSeries()
  ) {
    self.run = run
    self.test = test
    self.identity = identity
    self.verdict = verdict
    self.passedOnRetry = passedOnRetry
    self.metrics = metrics
    self.frames = frames
  }

  /// The evidence of a finished test, from its result and the frames the run observed.
  public init(run: String, result: TestResult, identity: EvidenceIdentity, frames: FrameSeries) {
    self.init(
      run: run, test: result.name, identity: identity, verdict: result.verdict,
      passedOnRetry: result.isFlaky, metrics: result.metrics, frames: frames)
  }

  public func metric(_ m: Metric) -> Double? { metrics.first { $0.metric == m }?.value }

  /// The verdict alone, for flaky detection (which needs no frames).
  public var outcome: TestOutcome {
    TestOutcome(run: run, identity: identity, verdict: verdict, passedOnRetry: passedOnRetry)
  }
}

/// What a test was fed: two runs with the same identity played the same firmware the same frames,
/// so any difference between them is noise or the bench, never the product.
public struct EvidenceIdentity: Sendable, Hashable, Codable {
  /// Hash of the firmware image the board reported running (its `img=` at boot).
  public var firmwareHash: String
  /// Content hash of the test's clip: its frames and its labels.
  public var clipHash: String

  public init(firmwareHash: String, clipHash: String) {
    self.firmwareHash = firmwareHash
    self.clipHash = clipHash
  }

  /// The firmware key of a board that reported `imageHash` (`img=`) and `version` (`fw=`): a
  /// build is its image and its version, so two builds with the same image bytes but different
  /// versions — the simulated bench's regressed builds (docs/simulated-bench.md §4.1), a version
  /// string patched in after linking — are different firmware. `a3f1…` alone when no version.
  public static func firmwareKey(imageHash: String, version: String) -> String {
    version.isEmpty ? imageHash : "\(imageHash)/\(version)"
  }
}

/// One test's verdict in one run: the input of flaky detection.
public struct TestOutcome: Sendable, Equatable, Codable {
  public var run: String
  public var identity: EvidenceIdentity
  public var verdict: Verdict
  public var passedOnRetry: Bool

  public init(run: String, identity: EvidenceIdentity, verdict: Verdict, passedOnRetry: Bool = false) {
    self.run = run
    self.identity = identity
    self.verdict = verdict
    self.passedOnRetry = passedOnRetry
  }
}

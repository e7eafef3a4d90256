// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Everything known about one test after it ran (or did not): the data every report renders.
public struct TestResult: Sendable, Codable, Equatable {
  public var name: String
  /// JUnit classname: the suite name, so `classname.name` is unique in a run.
  public var classname: String
  public var verdict: Verdict
  /// One line: why it failed, errored or was skipped. Nil when it passed.
  public var message: String?
  /// Short class for JUnit's `type`: `LimitViolation`, `RigError`, `Timeout`, `Hang`, …
  public var errorType: String?
  /// Further lines of explanation (every violated limit, the last console lines before a hang).
  public var details: String?
  public var startedAt: Date?
  /// Wall time of the final attempt, seconds.
  public var duration: Double
  public var metrics: [MetricValue]
  public var violations: [LimitViolation]
  public var frames: FrameAccounting
  /// Earlier attempts that failed or errored before the final one (retries).
  public var earlierAttempts: [AttemptSummary]
  /// Files written for this test, relative to the run's report folder.
  public var attachments: [String]
  /// Console lines worth showing inline (the tail of the log), already bounded in size.
  public var log: String
  /// Content hash of the clip played (frames and labels), from the run's plan.
  public var clipHash: String?
  /// The limits the test was judged by, recorded whether it passed or not.
  public var limits: [Limit]?
  /// Limits relative to a baseline run (`"<= baseline * 1.05"`).
  public var relativeLimits: [RelativeLimit]?
  /// The test against its baseline, when it has relative limits and a baseline was found.
  public var comparison: TestComparison?
  /// Why history calls the test flaky: its verdict differs from a run with the same firmware and
  /// clip, or it passed only on retry.
  public var flaky: String?
  /// Why the test could not be compared with a baseline (none recorded yet): its relative limits
  /// were not applied, its absolute ones were.
  public var baselineWarning: String?
  /// The rig that ran it, in a run on several rigs (`RunResult.rigs`); nil on one rig.
  public var rig: String?

  public init(
    name: String, classname: String, verdict: Verdict, message: String? = nil,
    errorType: String? = nil, details: String? = nil, startedAt: Date? = nil, duration: Double = 0,
    metrics: [MetricValue] = [], violations: [LimitViolation] = [],
    frames: FrameAccounting = FrameAccounting(), earlierAttempts: [AttemptSummary] = [],
    attachments: [String] = [], log: String = "", rig: String? = nil
  ) {
    self.name = name
    self.classname = classname
    self.verdict = verdict
    self.message = message
    self.errorType = errorType
    self.details = details
    self.startedAt = startedAt
    self.duration = duration
    self.metrics = metrics
    self.violations = violations
    self.frames = frames
    self.earlierAttempts = earlierAttempts
    self.attachments = attachments
    self.log = log
    self.rig = rig
  }

  /// Passed, but only after an earlier attempt failed or errored.
  public var isFlaky: Bool { verdict == .passed && !earlierAttempts.isEmpty }

  public func metric(_ m: Metric) -> Double? { metrics.first { $0.metric == m }?.value }
}

/// A failed or errored attempt that was retried.
public struct AttemptSummary: Sendable, Codable, Equatable {
  public var verdict: Verdict
  public var message: String
  public var errorType: String
  public var duration: Double

  public init(verdict: Verdict, message: String, errorType: String, duration: Double) {
    self.verdict = verdict
    self.message = message
    self.errorType = errorType
    self.duration = duration
  }
}

/// How the frames sent line up with the results received.
public struct FrameAccounting: Sendable, Codable, Equatable {
  /// Frames the host queued on the emulator.
  public var sent: Int = 0
  /// Results matched to a sent frame by CRC.
  public var matched: Int = 0
  /// Sent frames with no result (dropped).
  public var missing: Int = 0
  /// Results repeating an already reported frame.
  public var duplicated: Int = 0
  /// Results whose CRC matches no frame sent (damaged on the way, or foreign).
  public var unknown: Int = 0
  /// Frames the DUT reported with a status other than `ok` (capture timeout, bad length, decode or
  /// invoke failure); they are not scored.
  public var deviceErrors: Int = 0
  /// Telemetry records that failed their checksum.
  public var badChecksum: Int = 0
  /// Telemetry records with another run's nonce.
  public var staleNonce: Int = 0
  /// Console lines that were not telemetry (logs), for information.
  public var logLines: Int = 0
  /// Captures the emulator completed (frames it latched for the DUT).
  public var served: Int = 0
  /// Frames the emulator served that the DUT reported nothing for (part of `missing`).
  public var dropped: Int = 0
  /// Frames the DUT read with other bytes than the host sent.
  public var damaged: Int = 0
  /// Frames the DUT got only part of.
  public var truncated: Int = 0
  /// Frames whose FIFO length the DUT rejected.
  public var badLength: Int = 0
  /// Captures the emulator never completed (CAP_DONE stuck).
  public var captureStuck: Int = 0
  /// Frames of the clip never sent, because the test ended before them (hang, timeout, reset,
  /// interruption, or an error before the first frame).
  public var notSent: Int = 0

  public init() {}
}

/// The whole run, as rendered into JUnit, JSON and the console summary.
public struct RunResult: Sendable, Codable, Equatable {
  public var runID: String
  public var suite: String
  public var rig: String
  public var startedAt: Date
  /// Seconds from start to finish (or to the last event when rebuilt after a crash).
  public var duration: Double
  /// Run-level metadata for JUnit suite properties: `rig.id`, `fw.image_hash`, `tool.version` …
  public var properties: [Property]
  public var tests: [TestResult]
  /// Set when the run did not end normally: "SIGINT", "SIGTERM", "run did not finish".
  public var interruption: String?
  /// Set when no test could start; its exit status is the run's.
  public var startFailure: StartFailure?
  /// The rigs of a run on several rigs, in the order they were given; nil for a run on one.
  public var rigs: [RigRun]?

  public init(
    runID: String, suite: String, rig: String, startedAt: Date, duration: Double,
    properties: [Property], tests: [TestResult], interruption: String? = nil,
    startFailure: StartFailure? = nil, rigs: [RigRun]? = nil
  ) {
    self.startFailure = startFailure
    self.rigs = rigs
    self.runID = runID
    self.suite = suite
    self.rig = rig
    self.startedAt = startedAt
    self.duration = duration
    self.properties = properties
    self.tests = tests
    self.interruption = interruption
  }

  public struct Property: Sendable, Codable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
      self.name = name
      self.value = value
    }
  }

  public func count(_ verdict: Verdict) -> Int { tests.filter { $0.verdict == verdict }.count }

  /// The worst verdict of any test, `passed` for an empty run.
  public var worstVerdict: Verdict { tests.map(\.verdict).max() ?? .passed }
}

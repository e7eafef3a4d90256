// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// One recorded run as history lists it: its identity columns and verdict counts.
public struct StoredRun: Sendable, Codable, Equatable {
  public var runID: String
  public var suite: String
  public var rig: String
  public var boardModel: String?
  public var boardID: String?
  public var host: String?
  public var firmwareHash: String?
  /// The build: image hash and version (`EvidenceIdentity.firmwareKey`), what baselines and
  /// flakiness compare.
  public var firmwareKey: String?
  public var firmwareVersion: String?
  public var modelCRC: String?
  public var suiteHash: String?
  public var rigHash: String?
  public var commit: String?
  public var ciBuild: String?
  public var seed: String?
  public var startedAt: Date
  public var duration: Double
  public var interruption: String?
  public var exitStatus: Int32
  public var tests: Int
  public var failed: Int
  public var errored: Int
  /// Whether the firmware image of the run is flagged good (`rig history mark-good`).
  public var firmwareGood: Bool
  /// Names under which the run is a baseline (`rig baseline set`).
  public var baselineNames: [String]
  /// The report folder it was recorded from.
  public var source: String
  /// Every identity property of the run, as in its results.json and JUnit.
  public var properties: [RunResult.Property]

  public init(
    runID: String, suite: String, rig: String, startedAt: Date, duration: Double,
    exitStatus: Int32, tests: Int, failed: Int, errored: Int, source: String
  ) {
    self.runID = runID
    self.suite = suite
    self.rig = rig
    self.startedAt = startedAt
    self.duration = duration
    self.exitStatus = exitStatus
    self.tests = tests
    self.failed = failed
    self.errored = errored
    self.firmwareGood = false
    self.baselineNames = []
    self.source = source
    self.properties = []
  }

  public func property(_ name: String) -> String? { properties.first { $0.name == name }?.value }
}

/// One test of a recorded run, as `rig history show` prints it.
public struct StoredTest: Sendable, Codable, Equatable {
  public var name: String
  public var verdict: Verdict
  public var passedOnRetry: Bool
  /// Why history calls the test flaky, or nil.
  public var flaky: String?
  public var message: String?
  public var clipHash: String?
  public var limits: [Limit]
  public var metrics: [MetricValue]
  /// Frames stored for paired comparison.
  public var frames: Int
}

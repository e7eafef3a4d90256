// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Something that happened during a run. Every event is appended to `events.ndjson` the moment it
/// happens, so the file alone can rebuild the run's reports after a crash (`rig report`).
public enum RunEvent: Sendable, Equatable {
  case runStarted(RunStart)
  case boardState(BoardStateChange)
  case testStarted(TestStart)
  /// A frame-level anomaly: a dropped, repeated, unknown or damaged frame, a stale record.
  case frameFinding(FrameFinding)
  /// The suite's firmware was flashed, or found already running (`skipped`).
  case flash(FlashReport)
  case testFinished(TestResult)
  /// A message worth keeping (warnings, rig decisions).
  case note(Note)
  /// A rig of a run on several rigs changed state: started, running, finished, taken out,
  /// quarantined, unavailable.
  case rigState(RigRun)
  case runFinished(RunFinish)
}

/// An event with the wall-clock time it happened.
public struct TimedEvent: Sendable, Equatable {
  public var at: Date
  public var event: RunEvent
  public init(at: Date = Date(), _ event: RunEvent) {
    self.at = at
    self.event = event
  }
}

public struct RunStart: Sendable, Codable, Equatable {
  public var runID: String
  public var suite: String
  public var suiteFile: String
  public var rig: String
  public var rigFile: String
  public var startedAt: Date
  /// Every test selected for this run, in order, including those to be skipped.
  public var plannedTests: [PlannedTest]
  public var properties: [RunResult.Property]

  public init(
    runID: String, suite: String, suiteFile: String, rig: String, rigFile: String,
    startedAt: Date, plannedTests: [PlannedTest], properties: [RunResult.Property]
  ) {
    self.runID = runID
    self.suite = suite
    self.suiteFile = suiteFile
    self.rig = rig
    self.rigFile = rigFile
    self.startedAt = startedAt
    self.plannedTests = plannedTests
    self.properties = properties
  }
}

public struct PlannedTest: Sendable, Codable, Equatable {
  public var name: String
  public var classname: String
  public var clip: String
  public var frames: Int
  public var tags: [String]
  /// Content hash of the clip's frames and labels (`ClipHash`); nil in logs of older versions.
  public var clipHash: String?
  /// The limits the test is judged by, whatever its verdict; nil in logs of older versions.
  public var limits: [Limit]?
  /// Limits relative to a baseline, judged after the run against it.
  public var relativeLimits: [RelativeLimit]?
  /// The one rig this test is for (`--each-rig`); nil when any rig may run it.
  public var rig: String?
  public init(
    name: String, classname: String, clip: String, frames: Int, tags: [String],
    clipHash: String? = nil, limits: [Limit]? = nil, relativeLimits: [RelativeLimit]? = nil, rig: String? = nil
  ) {
    self.name = name
    self.classname = classname
    self.clip = clip
    self.frames = frames
    self.tags = tags
    self.clipHash = clipHash
    self.limits = limits
    self.relativeLimits = relativeLimits
    self.rig = rig
  }
}

public struct BoardStateChange: Sendable, Codable, Equatable {
  public var state: String
  public var detail: String
  public init(state: String, detail: String) {
    self.state = state
    self.detail = detail
  }
}

public struct TestStart: Sendable, Codable, Equatable {
  public var name: String
  public var attempt: Int
  public init(name: String, attempt: Int) {
    self.name = name
    self.attempt = attempt
  }
}

public struct FrameFinding: Sendable, Codable, Equatable {
  public enum Kind: String, Sendable, Codable {
    case missing, duplicated, unknown, badChecksum = "bad_checksum", staleNonce = "stale_nonce"
    case reset, fault
    /// The emulator served the frame, the DUT reported nothing for it.
    case dropped
    /// The DUT read other bytes than the host sent (in the emulator, or between it and the DUT).
    case damaged
    /// The DUT got only part of the frame (the emulator's FIFO ran short, or the read stopped).
    case truncated
    /// The DUT rejected the FIFO length the emulator reported.
    case badLength = "bad_length"
    /// The emulator never raised CAP_DONE for a capture, so the DUT's driver waits for ever.
    case captureStuck = "capture_stuck"
    /// The DUT's camera check (SPI test register, sensor id) failed.
    case cameraFailed = "camera_failed"
    /// The emulator dropped events, so its view of some frames is missing.
    case eventsLost = "events_lost"
  }
  public var test: String
  /// The frame index concerned, when one is known.
  public var frame: Int?
  public var kind: Kind
  public var detail: String
  public init(test: String, frame: Int?, kind: Kind, detail: String) {
    self.test = test
    self.frame = frame
    self.kind = kind
    self.detail = detail
  }
}

public struct Note: Sendable, Codable, Equatable {
  public enum Level: String, Sendable, Codable { case info, warning, error }
  public var level: Level
  public var message: String
  public var test: String?
  public init(level: Level, message: String, test: String? = nil) {
    self.level = level
    self.message = message
    self.test = test
  }
}

public struct RunFinish: Sendable, Codable, Equatable {
  /// "SIGINT" / "SIGTERM" when a signal ended the run, nil when it ran to the end.
  public var interruption: String?
  public var exitStatus: Int32
  /// Why no test could start, when none could.
  public var startFailure: StartFailure?
  public init(interruption: String?, exitStatus: Int32, startFailure: StartFailure? = nil) {
    self.interruption = interruption
    self.exitStatus = exitStatus
    self.startFailure = startFailure
  }
}

/// Why a run ended before its first test could start (the bench unavailable, the rig locked by
/// another run, a configuration problem found once the files were loaded), and the code rig
/// exited with for it.
public struct StartFailure: Sendable, Codable, Equatable {
  public var reason: String
  /// 69 for hardware unavailable or locked, 78 for a configuration problem.
  public var exitStatus: Int32
  public init(reason: String, exitStatus: Int32) {
    self.reason = reason
    self.exitStatus = exitStatus
  }
}

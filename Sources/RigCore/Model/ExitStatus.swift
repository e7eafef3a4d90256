// SPDX-License-Identifier: Apache-2.0

/// The process exit codes rig uses, in one place (sysexits.h where one fits).
public enum ExitStatus: Int32, Sendable {
  case allPassed = 0
  case testFailed = 1
  case testErrored = 2
  /// Every test reached a verdict and none failed or errored, but part of the bench was out: a
  /// rig quarantined, taken out during the run, or unavailable. An infrastructure problem, not a
  /// firmware one.
  case benchDegraded = 3
  case usage = 64
  case inputMissing = 66
  case hardwareUnavailable = 69
  case software = 70
  case cannotCreateOutput = 73
  case evidenceIncomplete = 74
  case badConfiguration = 78
  /// Stopped by a signal: 128 + its number. The bench is off and the reports are written.
  case hangUp = 129
  case interrupted = 130
  case quit = 131
  case brokenPipe = 141
  case terminated = 143

  /// The status for a finished run: the worst verdict decides.
  public init(run: RunResult) {
    if let failure = run.startFailure, let status = ExitStatus(rawValue: failure.exitStatus) {
      self = status
      return
    }
    if let interruption = run.interruption {
      self.init(interruption: interruption)
      return
    }
    switch run.worstVerdict {
    case .passed, .skipped: self = run.rigs?.contains(where: \.isOut) == true ? .benchDegraded : .allPassed
    case .failed: self = .testFailed
    case .errored: self = .testErrored
    }
  }

  /// The status for work a signal stopped: 128 + the signal's number. Any other interruption (a
  /// log without `run_finished`, a cancelled run) means rig could not finish judging the run,
  /// even when every test that reported passed.
  public init(interruption: String) {
    switch interruption {
    case "SIGHUP": self = .hangUp
    case "SIGINT": self = .interrupted
    case "SIGQUIT": self = .quit
    case "SIGPIPE": self = .brokenPipe
    case "SIGTERM": self = .terminated
    default: self = .testErrored
    }
  }

  /// The status for an error that stopped a command before or outside a run.
  public init(error: RigError) {
    switch error.code {
    case .configInvalid: self = .badConfiguration
    case .hardwareUnavailable: self = .hardwareUnavailable
    case .usage: self = .usage
    case .inputMissing: self = .inputMissing
    case .cannotCreateOutput: self = .cannotCreateOutput
    case .interrupted: self = .interrupted
    case .internal: self = .software
    default: self = .testErrored
    }
  }

  /// The status once the run's files are known: 74 replaces a verdict's 0, 1 or 2 when any of the
  /// run's evidence (events, console logs, frame CSVs, reports) could not be written in full, so
  /// CI never takes a run it cannot audit for a pass. An interruption keeps its own status.
  public func evidence(complete: Bool) -> ExitStatus {
    switch self {
    case .allPassed, .testFailed, .testErrored, .benchDegraded: complete ? self : .evidenceIncomplete
    default: self
    }
  }
}

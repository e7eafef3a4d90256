// SPDX-License-Identifier: Apache-2.0

/// A verdict as the HTML report shows it: a symbol and a word, so it reads without colour, and a
/// class that colours it on screen.
enum VerdictLabel {
  static func html(_ test: TestResult) -> String {
    test.isFlaky ? "<span class=\"v flaky\">~ flaky</span>" : html(test.verdict)
  }

  static func html(_ verdict: Verdict) -> String {
    "<span class=\"v \(verdict.rawValue)\">\(text(verdict))</span>"
  }

  static func text(_ verdict: Verdict) -> String {
    switch verdict {
    case .passed: "\u{2713} passed"
    case .failed: "\u{2717} FAILED"
    case .errored: "! ERRORED"
    case .skipped: "\u{2013} skipped"
    }
  }

  /// Where a test's section comes on the page: what needs looking at first.
  static func order(_ test: TestResult) -> Int {
    switch test.verdict {
    case .failed: 0
    case .errored: 1
    case .passed: test.isFlaky ? 2 : 3
    case .skipped: 4
    }
  }

  /// What the run's exit code means, in the words of the README's table.
  static func meaning(of status: ExitStatus, interruption: String?) -> String {
    switch status {
    case .allPassed: return "every test passed (or was skipped)"
    case .testFailed: return "a test failed: the DUT was measured and broke a limit"
    case .testErrored:
      if let interruption { return "rig could not finish judging the run (\(interruption))" }
      return "a test errored: rig could not reach a verdict (flash, power, serial, emulator, timeout, hang)"
    case .hangUp: return "stopped by SIGHUP (a dropped session); the bench was left powered off"
    case .interrupted: return "interrupted by SIGINT; the bench was left powered off"
    case .quit: return "stopped by SIGQUIT; the bench was left powered off"
    case .brokenPipe: return "stopped by SIGPIPE; the bench was left powered off"
    case .terminated: return "terminated by SIGTERM; the bench was left powered off"
    case .usage: return "usage error"
    case .inputMissing: return "no such run folder or events file"
    case .cannotCreateOutput: return "the report folder could not be created; nothing was run"
    case .evidenceIncomplete: return "the run's evidence could not all be written (full disk, size limit)"
    case .hardwareUnavailable: return "hardware unavailable (or the rig is locked by another run): no test ran"
    case .software: return "internal error in rig"
    case .badConfiguration: return "bad configuration: no test ran"
    }
  }
}

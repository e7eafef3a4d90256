// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Synchronization

/// The progress of the running test while `rig run` plays its clip.
///
/// On a colour terminal it is one line redrawn in place (at most ten times a second) and
/// replaced by the verdict line when the test ends; other output first clears it, and the next
/// frame draws it again. Elsewhere (a pipe, a CI log, `NO_COLOR`, `TERM=dumb`) it is a plain
/// ASCII line every `plainInterval`, so a 20,000-frame test at real-time pace says how it is
/// doing every half minute instead of nothing for twelve.
final class LiveTestLine: Sendable {
  /// How often a plain line is printed while a test runs.
  static let plainInterval: Duration = .seconds(30)
  /// How often the in-place line is redrawn at most.
  static let redrawInterval: Duration = .milliseconds(100)

  private struct State {
    var totals: [String: Int] = [:]
    var test: TestProgress?
    var started: ContinuousClock.Instant?
    var lastShown: ContinuousClock.Instant?
    var onScreen = false
  }

  private let fancy: Bool
  private let columns: @Sendable () -> Int
  private let now: @Sendable () -> ContinuousClock.Instant
  private let output: @Sendable (String) -> Void
  private let state = Mutex(State())

  /// `output` gets raw text: lines with their newline, and in fancy mode the in-place line with
  /// its carriage return and erase-to-end-of-line.
  init(
    fancy: Bool, columns: @escaping @Sendable () -> Int = { Terminal.columns },
    now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
    output: @escaping @Sendable (String) -> Void = Terminal.raw
  ) {
    self.fancy = fancy
    self.columns = columns
    self.now = now
    self.output = output
  }

  /// The tests to come and their clips' frame counts.
  func plan(_ tests: [(name: String, frames: Int)]) {
    state.withLock { s in
      for test in tests { s.totals[test.name] = test.frames }
    }
  }

  func started(_ name: String, attempt: Int) {
    state.withLock { s in
      s.test = TestProgress(name: name, attempt: attempt, total: s.totals[name] ?? 0)
      s.started = now()
      s.lastShown = s.started
      if fancy {
        draw(&s)
      } else {
        let attemptText = attempt > 1 ? " (attempt \(attempt))" : ""
        output("> \(XMLText.oneLine(name, limit: 80))\(attemptText): \(s.totals[name] ?? 0) frames\n")
      }
    }
  }

  func frame(_ name: String, _ outcome: FrameOutcome) {
    state.withLock { s in
      guard s.test?.name == name else { return }
      s.test?.add(outcome)
      let interval = fancy ? Self.redrawInterval : Self.plainInterval
      guard let last = s.lastShown, now() - last >= interval else { return }
      if fancy {
        draw(&s)
      } else if let test = s.test, let started = s.started {
        output(test.line(elapsed: (now() - started).seconds, fancy: false) + "\n")
        s.lastShown = now()
      }
    }
  }

  /// The test ended: its line goes, for the verdict line to take its place.
  func finished() {
    state.withLock { s in
      clear(&s)
      s.test = nil
    }
  }

  /// Clears the in-place line before other output; the next frame draws it again.
  func beforeOtherOutput() {
    state.withLock { clear(&$0) }
  }

  private func draw(_ s: inout State) {
    guard let test = s.test, let started = s.started else { return }
    let line = test.line(elapsed: (now() - started).seconds, fancy: true, width: max(20, columns()))
    output("\r" + line + "\u{1B}[K")
    s.onScreen = true
    s.lastShown = now()
  }

  private func clear(_ s: inout State) {
    guard s.onScreen else { return }
    output("\r\u{1B}[K")
    s.onScreen = false
  }
}

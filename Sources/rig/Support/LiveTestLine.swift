// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

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
  private let state = Locked(State())

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
    let text = state.withLock { s -> String in
      s.test = TestProgress(name: name, attempt: attempt, total: s.totals[name] ?? 0)
      s.started = now()
      s.lastShown = s.started
      if fancy { return draw(&s) }
      let attemptText = attempt > 1 ? " (attempt \(attempt))" : ""
      return "> \(XMLText.oneLine(name, limit: 80))\(attemptText): \(s.totals[name] ?? 0) frames\n"
    }
    output(text)
  }

  func frame(_ name: String, _ outcome: FrameOutcome) {
    let text = state.withLock { s -> String? in
      guard s.test?.name == name else { return nil }
      s.test?.add(outcome)
      let interval = fancy ? Self.redrawInterval : Self.plainInterval
      guard let last = s.lastShown, now() - last >= interval else { return nil }
      if fancy { return draw(&s) }
      guard let test = s.test, let started = s.started else { return nil }
      s.lastShown = now()
      return test.line(elapsed: (now() - started).seconds, fancy: false) + "\n"
    }
    if let text { output(text) }
  }

  /// The test ended: its line goes, for the verdict line to take its place.
  func finished() {
    let text = state.withLock { s -> String? in
      defer { s.test = nil }
      return clear(&s)
    }
    if let text { output(text) }
  }

  /// Clears the in-place line before other output; the next frame draws it again.
  func beforeOtherOutput() {
    if let text = state.withLock({ clear(&$0) }) { output(text) }
  }

  /// The in-place line, to write (outside the lock).
  private func draw(_ s: inout State) -> String {
    guard let test = s.test, let started = s.started else { return "" }
    let line = test.line(elapsed: (now() - started).seconds, fancy: true, width: max(20, columns()))
    s.onScreen = true
    s.lastShown = now()
    return "\r" + line + "\u{1B}[K"
  }

  /// What erases the in-place line, or nil when none is shown.
  private func clear(_ s: inout State) -> String? {
    guard s.onScreen else { return nil }
    s.onScreen = false
    return "\r\u{1B}[K"
  }
}

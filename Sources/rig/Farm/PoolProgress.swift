// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// Live output of a run on several rigs. On a colour terminal, one status line per rig stays at
/// the bottom — its running test as `rig run`'s live line shows it (frames done, frames/s, ETA,
/// exact counts: `TestProgress`), or its state, and how many tests it has done — redrawn in place
/// at most ten times a second, with verdicts and warnings scrolling above it. Elsewhere (a CI log,
/// a pipe, `NO_COLOR`) every line is plain ASCII and starts with `[rig]`, so one rig's story can
/// be followed with grep; a running test says how it is doing every `plainInterval`.
final class PoolProgress: Sendable {
  static let redrawInterval: Duration = .milliseconds(100)
  static let plainInterval: Duration = LiveTestLine.plainInterval

  private struct Lane {
    var status = "starting"
    var test: TestProgress?
    var started: ContinuousClock.Instant?
    var lastPlain: ContinuousClock.Instant?
    var done = 0
  }

  private struct State {
    var lanes: [String: Lane] = [:]
    var totals: [String: Int] = [:]
    /// Status lines now on screen below the scrolled output.
    var drawn = 0
    var lastDraw: ContinuousClock.Instant?
  }

  private let rigs: [String]
  private let verbose: Bool
  private let live: Bool
  private let columns: @Sendable () -> Int
  private let now: @Sendable () -> ContinuousClock.Instant
  private let output: @Sendable (String) -> Void
  private let state = Locked(State())
  private let eventLogWarned = Locked(false)

  /// `output` gets raw text: whole lines with their newlines, and on a terminal the status block
  /// after them (without a final newline, the cursor left at its end).
  init(
    rigs: [String], verbose: Bool, live: Bool = Terminal.supportsColor,
    columns: @escaping @Sendable () -> Int = { Terminal.columns },
    now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
    output: @escaping @Sendable (String) -> Void = Terminal.raw
  ) {
    self.rigs = rigs
    self.verbose = verbose
    self.live = live
    self.columns = columns
    self.now = now
    self.output = output
  }

  func begin(suite: Suite, units: [WorkUnit], reportDirectory: URL) {
    let frames = units.reduce(0) { $0 + $1.test.clip.frameCount }
    plan(units.map { ($0.test.name, $0.test.clip.frameCount) })
    show([
      "rig \(Rig.version): suite '\(suite.name)' - \(units.count) test\(units.count == 1 ? "" : "s"), \(frames) frames"
        + " - on \(rigs.count) rigs: \(rigs.joined(separator: ", "))",
      "events: \(reportDirectory.displayPath)/events.ndjson (each rig's in rigs/<rig>/)",
    ])
  }

  /// The tests to come and their clips' frame counts (by the test's name, as its rig's runner
  /// reports it; with `--each-rig` the units `t@a` and `t@b` are both the test `t`).
  func plan(_ tests: [(name: String, frames: Int)]) {
    state.withLock { s in
      for test in tests { s.totals[test.name] = test.frames }
    }
  }

  func event(rig: String, _ timed: TimedEvent) {
    var lines: [String] = []
    var status: String?
    switch timed.event {
    case .testStarted(let start):
      let total = state.withLock { s -> Int in
        let total = s.totals[start.name] ?? 0
        s.lanes[rig, default: Lane()].test = TestProgress(name: start.name, attempt: start.attempt, total: total)
        s.lanes[rig, default: Lane()].started = now()
        s.lanes[rig, default: Lane()].lastPlain = now()
        return total
      }
      status = "running"
      let attempt = start.attempt > 1 ? " (attempt \(start.attempt))" : ""
      if !live { lines.append("> \(XMLText.oneLine(start.name, limit: 80))\(attempt): \(total) frames") }
    case .testFinished(let result):
      state.withLock { s in
        s.lanes[rig, default: Lane()].test = nil
        s.lanes[rig, default: Lane()].done += 1
      }
      status = "idle"
      let verdict = ProgressPrinter.paint(result.verdict, color: live)
      var line = "\(verdict) \(XMLText.oneLine(result.name, limit: 80)) in \(MetricFormat.format3(result.duration)) s"
      if let message = result.message { line += " - \(XMLText.oneLine(message, limit: 200))" }
      lines.append(line)
    case .boardState(let change):
      if change.state == "booted" || change.state == "flashing" { status = "board \(change.state)" }
      if verbose || (!live && change.state == "booted") { lines.append("board \(change.state): \(change.detail)") }
    case .note(let note):
      if verbose || note.level != .info { lines.append("\(note.level.rawValue): \(note.message)") }
    case .frameFinding(let finding):
      if verbose { lines.append("frame \(finding.frame.map(String.init) ?? "-"): \(finding.kind.rawValue): \(finding.detail)") }
    case .flash(let report):
      lines.append(
        report.skipped
          ? "flash skipped: \(report.reason ?? "the board already runs the image")"
          : "flashed \(report.image ?? "the image"): \(report.bytes) bytes in \(MetricFormat.format3(report.seconds)) s")
    case .runStarted, .runFinished, .rigState:
      break
    }
    if let status { state.withLock { $0.lanes[rig, default: Lane()].status = status } }
    show(lines.map { "[\(rig)] \($0)" }, redraw: status != nil)
  }

  /// A frame of `test` done on `rig`: counted into the rig's line, which is redrawn when due; off
  /// a terminal, a plain progress line every `plainInterval`.
  func frame(rig: String, test: String, _ outcome: FrameOutcome) {
    let plain = state.withLock { s -> String? in
      guard var lane = s.lanes[rig], lane.test?.name == test else { return nil }
      lane.test?.add(outcome)
      defer { s.lanes[rig] = lane }
      guard !live, let progress = lane.test, let started = lane.started, let last = lane.lastPlain,
        now() - last >= Self.plainInterval
      else { return nil }
      lane.lastPlain = now()
      return "[\(rig)] " + progress.line(elapsed: (now() - started).seconds, fancy: false)
    }
    if let plain { output(plain + "\n") }
    guard live else { return }
    let due = state.withLock { s -> Bool in
      guard let last = s.lastDraw else { return true }
      return now() - last >= Self.redrawInterval
    }
    if due { show([]) }
  }

  func rigState(_ rig: RigRun) {
    state.withLock { $0.lanes[rig.name, default: Lane()].status = rig.state.rawValue }
    var lines: [String] = []
    if rig.isOut || rig.state == .finished || !live {
      lines.append("[\(rig.name)] \(rig.state.rawValue)" + (rig.reason.map { ": \($0)" } ?? ""))
    }
    show(lines)
  }

  /// The status lines stay as they last were (each rig's final state); what follows prints below.
  func end() {
    guard live else { return }
    show([])
    state.withLock { $0.drawn = 0 }
    output("\n")
  }

  func eventLogFailed(_ error: any Error) {
    let first = eventLogWarned.withLock { warned -> Bool in
      defer { warned = true }
      return !warned
    }
    if first { Terminal.error("warning: cannot append to an event log: \(error); the run goes on") }
  }

  /// Prints `lines` above the status block (and redraws it), or just the lines off a terminal.
  private func show(_ lines: [String], redraw: Bool = true) {
    guard live else {
      if !lines.isEmpty { output(lines.map { $0 + "\n" }.joined()) }
      return
    }
    guard redraw || !lines.isEmpty else { return }
    let width = max(20, columns())
    // Written while the lock is held: each redraw moves the cursor up by the lines the one before
    // it drew, so redraws must reach the screen in the order they were computed.
    state.withLock { s in
      // Back to the start of the first status line (the cursor is at the end of the last).
      var text = ""
      if s.drawn > 0 { text = "\r" + (s.drawn > 1 ? "\u{1B}[\(s.drawn - 1)A" : "") + "\u{1B}[J" }
      text += lines.map { $0 + "\n" }.joined()
      text += rigs.map { statusLine($0, s.lanes[$0] ?? Lane(), width: width) }.joined(separator: "\n")
      output(text)
      s.drawn = rigs.count
      s.lastDraw = now()
    }
  }

  /// One rig's line, at most `width` columns so the terminal never wraps it (a wrapped line would
  /// throw the next redraw's cursor movement off).
  private func statusLine(_ rig: String, _ lane: Lane, width: Int) -> String {
    let nameWidth = rigs.map(\.count).max() ?? 0
    let head = "  " + rig + String(repeating: " ", count: max(0, nameWidth - rig.count)) + "  "
    let tail = "  (\(lane.done) done)"
    let room = max(1, width - head.count - tail.count)
    guard let test = lane.test, let started = lane.started else {
      return String((head + lane.status + tail).prefix(width))
    }
    return head + test.line(elapsed: (now() - started).seconds, fancy: true, width: room) + tail
  }
}

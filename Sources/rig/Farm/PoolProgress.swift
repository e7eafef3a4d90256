// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Synchronization

/// Live output of a run on several rigs. On a colour terminal, one status line per rig stays at
/// the bottom (its test, frames done, tests done), redrawn in place, with verdicts and warnings
/// scrolling above it. Elsewhere (a CI log, a pipe) every line is plain ASCII and starts with
/// `[rig]`, so one rig's story can be followed with grep.
final class PoolProgress: Sendable {
  private struct Lane {
    var status = "starting"
    var test: String?
    var frames = 0
    var total = 0
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
  private let output: @Sendable (String) -> Void
  private let state = Mutex(State())
  private let eventLogWarned = Mutex(false)
  static let redrawInterval: Duration = .milliseconds(100)

  init(
    rigs: [String], verbose: Bool, live: Bool = Terminal.supportsColor,
    output: @escaping @Sendable (String) -> Void = Terminal.out
  ) {
    self.rigs = rigs
    self.verbose = verbose
    self.live = live
    self.output = output
  }

  func begin(suite: Suite, units: [WorkUnit], reportDirectory: URL) {
    let frames = units.reduce(0) { $0 + $1.test.clip.frameCount }
    state.withLock { s in
      for unit in units { s.totals[unit.test.name] = unit.test.clip.frameCount }
    }
    show([
      "rig \(Rig.version): suite '\(suite.name)' - \(units.count) test\(units.count == 1 ? "" : "s"), \(frames) frames"
        + " - on \(rigs.count) rigs: \(rigs.joined(separator: ", "))",
      "events: \(reportDirectory.displayPath)/events.ndjson (each rig's in rigs/<rig>/)",
    ])
  }

  func event(rig: String, _ timed: TimedEvent) {
    var lines: [String] = []
    var status: String?
    switch timed.event {
    case .testStarted(let start):
      let attempt = start.attempt > 1 ? " (attempt \(start.attempt))" : ""
      state.withLock { s in
        s.lanes[rig, default: Lane()].test = start.name
        s.lanes[rig, default: Lane()].frames = 0
        s.lanes[rig, default: Lane()].total = s.totals[start.name] ?? 0
      }
      status = "> \(start.name)\(attempt)"
      if !live { lines.append("> \(start.name)\(attempt)") }
    case .testFinished(let result):
      state.withLock { s in
        s.lanes[rig, default: Lane()].test = nil
        s.lanes[rig, default: Lane()].done += 1
      }
      status = "idle"
      var line = "\(paint(result.verdict)) \(result.name) in \(MetricFormat.format3(result.duration)) s"
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

  func frame(rig: String, test: String, _ outcome: FrameOutcome) {
    guard live else { return }
    let due = state.withLock { s -> Bool in
      s.lanes[rig, default: Lane()].frames += 1
      guard let last = s.lastDraw else { return true }
      return ContinuousClock.now - last >= Self.redrawInterval
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
      for line in lines { output(line) }
      return
    }
    guard redraw || !lines.isEmpty else { return }
    state.withLock { s in
      var text = s.drawn > 0 ? "\u{1B}[\(s.drawn)F\u{1B}[J" : ""
      text += lines.map { $0 + "\n" }.joined()
      text += rigs.map { statusLine($0, s.lanes[$0] ?? Lane()) }.joined(separator: "\n")
      output(text)
      s.drawn = rigs.count
      s.lastDraw = .now
    }
  }

  private func statusLine(_ rig: String, _ lane: Lane) -> String {
    let width = rigs.map(\.count).max() ?? 0
    var line = "  " + rig + String(repeating: " ", count: max(0, width - rig.count)) + "  "
    if let test = lane.test {
      line += "\u{25B6} \(test)  \(lane.frames)/\(lane.total) frames"
    } else {
      line += lane.status
    }
    return line + "  (\(lane.done) done)"
  }

  private func paint(_ verdict: Verdict) -> String {
    let word = verdict.rawValue.uppercased()
    guard live else { return word }
    let code = switch verdict {
    case .passed: "32"
    case .failed: "31"
    case .errored: "35"
    case .skipped: "33"
    }
    return "\u{1B}[\(code)m\(word)\u{1B}[0m"
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// Live progress of a run on the terminal: one line per test as it starts and ends (with `live`,
/// a progress line while it runs: `LiveTestLine`), board state changes and warnings; with
/// `verbose`, also frame findings and notes. Without colour (not a terminal, `NO_COLOR`,
/// `TERM=dumb`) rig's own words are plain ASCII.
final class ProgressPrinter: Sendable {
  private let verbose: Bool
  private let color: Bool
  private let eventLogWarned = Locked(false)
  private let live: LiveTestLine?

  init(verbose: Bool, color: Bool = Terminal.supportsColor, live: Bool = false) {
    self.verbose = verbose
    self.color = color
    self.live = live ? LiveTestLine(fancy: color) : nil
  }

  /// The dash between parts of a line: an em dash on a colour terminal, else ASCII.
  private var dash: String { color ? "\u{2014}" : "-" }

  func begin(suite: Suite, tests: [TestCase], rig: RigConfiguration, benchKind: String, reportDirectory: URL) {
    let frames = tests.reduce(0) { $0 + $1.clip.frameCount }
    live?.plan(tests.map { ($0.name, $0.clip.frameCount) })
    Terminal.out(
      "rig \(Rig.version): suite '\(suite.name)' \(dash) \(tests.count) test\(tests.count == 1 ? "" : "s"), "
        + "\(frames) frames \(dash) on '\(rig.name)' (\(benchKind))")
    Terminal.out("events: \(reportDirectory.displayPath)/events.ndjson")
  }

  /// For `rig run`'s frame observer: counts the frame into the live line.
  func frameDone(_ test: String, _ outcome: FrameOutcome) { live?.frame(test, outcome) }

  func event(_ timed: TimedEvent) {
    if case .testStarted(let start) = timed.event, let live {
      live.started(start.name, attempt: start.attempt)
      return
    }
    live?.beforeOtherOutput()
    switch timed.event {
    case .testStarted(let start):
      Terminal.out((color ? "\u{25B6} " : "> ") + start.name + (start.attempt > 1 ? " (attempt \(start.attempt))" : ""))
    case .testFinished(let result):
      live?.finished()
      var line = "  \(paint(result.verdict)) \(result.name) in \(MetricFormat.format3(result.duration)) s"
      if let message = result.message { line += " \(dash) \(message)" }
      Terminal.out(line)
    case .boardState(let change):
      if verbose || change.state == "booted" { Terminal.out("  board \(change.state): \(change.detail)") }
    case .note(let note):
      if verbose || note.level != .info { Terminal.out("  \(note.level.rawValue): \(note.message)") }
    case .frameFinding(let finding):
      if verbose { Terminal.out("  frame \(finding.frame.map(String.init) ?? "-"): \(finding.kind.rawValue): \(finding.detail)") }
    case .flash(let report):
      if report.skipped {
        Terminal.out("  flash skipped: \(report.reason ?? "the board already runs the image") (img=\(ImageHash.short(report.imageHash ?? "")))")
      } else {
        Terminal.out(
          "  flashed \(report.image ?? "the image"): \(report.bytes) bytes in \(MetricFormat.format3(report.seconds)) s, "
            + "\(Int(report.bytesPerSecond)) bytes/s (\(report.method))")
      }
    case .runStarted, .runFinished:
      break
    }
  }

  /// Per-frame line for `rig test`.
  func frame(_ test: String, _ outcome: FrameOutcome) {
    guard let report = outcome.report else {
      Terminal.out("  \(pad(outcome.index, 5))  label \(outcome.label.count)  \(dash) no result (\(outcome.finding.rawValue))")
      return
    }
    let error = report.count - outcome.label.count
    let mark = error == 0 ? "ok" : (error > 0 ? "+\(error)" : "\(error)")
    let ms = outcome.latencyMilliseconds.map(MetricFormat.format3) ?? "-"
    var line = "  \(pad(outcome.index, 5))  count \(report.count) label \(outcome.label.count) \(pad(mark, 3))"
    line += "  in \(report.inCount)/\(outcome.label.inCount.map(String.init) ?? "-")"
    line += "  out \(report.outCount)/\(outcome.label.outCount.map(String.init) ?? "-")"
    line += "  \(ms) ms  stack \(report.stackHighWater) B  crc \(String(report.frameCRC, radix: 16))"
    if report.status != "ok" { line += "  status \(report.status)" }
    Terminal.out(line)
  }

  func eventLogFailed(_ error: any Error) {
    let first = eventLogWarned.withLock { warned -> Bool in
      defer { warned = true }
      return !warned
    }
    if first { Terminal.error("warning: cannot append to events.ndjson: \(error); the run goes on") }
  }

  private func paint(_ verdict: Verdict) -> String {
    let word = verdict.rawValue.uppercased()
    guard color else { return word }
    let code = switch verdict {
    case .passed: "32"
    case .failed: "31"
    case .errored: "35"
    case .skipped: "33"
    }
    return "\u{1B}[\(code)m\(word)\u{1B}[0m"
  }

  private func pad(_ value: some CustomStringConvertible, _ width: Int) -> String {
    let s = value.description
    return String(repeating: " ", count: max(0, width - s.count)) + s
  }
}

// SPDX-License-Identifier: Apache-2.0

/// How far a running test has got, for the live line `rig run` prints while it plays a clip:
/// frames done of the clip's total, frames per second, the time left at that pace, and how many
/// of the frames scored so far were counted exactly right.
public struct TestProgress: Sendable, Equatable {
  public let name: String
  public let attempt: Int
  /// Frames in the clip.
  public let total: Int
  /// Frames resolved so far: reported, or found missing, dropped or damaged.
  public private(set) var done = 0
  public private(set) var scored = 0
  public private(set) var exact = 0

  public init(name: String, attempt: Int = 1, total: Int) {
    self.name = name
    self.attempt = attempt
    self.total = total
  }

  /// Counts one resolved frame; only frames the DUT reported with status `ok` are scored.
  public mutating func add(_ outcome: FrameOutcome) {
    done += 1
    guard let report = outcome.report, outcome.finding == .matched, report.status == "ok" else { return }
    scored += 1
    if report.count == outcome.label.count { exact += 1 }
  }

  /// The line after `elapsed` seconds of the test. `fancy` (a colour terminal) uses a symbol and
  /// separators; otherwise the line is plain ASCII apart from the test's name. At most `width`
  /// characters, so a terminal never wraps a line that is redrawn in place.
  public func line(elapsed: Double, fancy: Bool, width: Int = .max) -> String {
    let rate = elapsed > 0 && done > 0 ? Double(done) / elapsed : nil
    var parts = ["\(done)/\(total) frames"]
    parts.append(rate.map { "\(Self.rate($0)) frames/s" } ?? "- frames/s")
    if let rate, total > done {
      parts.append("ETA " + Self.clock(Double(total - done) / rate))
    } else {
      parts.append("ETA -")
    }
    parts.append(scored > 0 ? "exact " + ConsoleSummary.fixed(Double(exact) / Double(scored) * 100, 1) + "%" : "exact -")
    let attemptText = attempt > 1 ? " (attempt \(attempt))" : ""
    // The name comes from a suite file: one line, its control characters made harmless.
    let shown = XMLText.oneLine(name, limit: 80)
    let text = fancy
      ? "\u{25B6} \(shown)\(attemptText)  " + parts.joined(separator: " \u{00B7} ")
      : "  \(shown)\(attemptText): " + parts.joined(separator: ", ")
    guard text.count > width, width > 1 else { return text }
    return String(text.prefix(width - 1)) + (fancy ? "\u{2026}" : "~")
  }

  /// `0:07`, `12:30`, `1:02:03`.
  static func clock(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "-" }
    let whole = Int(min(seconds.rounded(.up), 359_999))
    let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60)
    let mm = h > 0 && m < 10 ? "0\(m)" : "\(m)"
    let ss = s < 10 ? "0\(s)" : "\(s)"
    return h > 0 ? "\(h):\(mm):\(ss)" : "\(mm):\(ss)"
  }

  /// Frames per second with a sensible number of digits: `0.48`, `30.1`, `2840`.
  static func rate(_ value: Double) -> String {
    value >= 100 ? ConsoleSummary.fixed(value, 0) : value >= 10 ? ConsoleSummary.fixed(value, 1) : ConsoleSummary.fixed(value, 2)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads the DUT's console for the runner: decodes telemetry records and log lines as they arrive,
/// keeps the raw bytes in the current test's console log, and remembers the last lines seen so a
/// hang or timeout message can show them.
///
/// Used by one task at a time (the runner's).
final class ConsoleMonitor {
  let link: any SerialLink
  /// What every console deadline is read from; the board strategy and the test share it.
  let clock: HostClock
  private var decoder = TelemetryDecoder()
  private var pending: [ConsoleItem] = []
  private var pendingHead = 0
  private var log: (any ArtifactLog)?
  private var recent: [String] = []
  private let recentLimit = 12

  init(link: any SerialLink, clock: HostClock = .continuous) {
    self.link = link
    self.clock = clock
  }

  /// Starts copying raw console bytes to `log` (and stops copying to the previous one). The
  /// recent lines start afresh with it: a test's messages and `log` quote its own console, never
  /// the noise of the test before. A write that fails is recorded by the log's sink, which names
  /// the cut file at the end of the run.
  func startLog(_ log: (any ArtifactLog)?) {
    stopLog()
    recent.removeAll(keepingCapacity: true)
    self.log = log
  }

  /// Stops copying console bytes; the recent lines stay until the next log starts.
  func stopLog() {
    log?.close()
    log = nil
  }

  /// The last lines the console showed since the current log started, oldest first.
  var recentLines: [String] { recent }

  /// The next console item, or nil when the deadline passes first.
  func next(until deadline: ContinuousClock.Instant) async throws -> ConsoleItem? {
    while true {
      if pendingHead < pending.count {
        let item = pending[pendingHead]
        pendingHead += 1
        if pendingHead == pending.count {
          pending.removeAll(keepingCapacity: true)
          pendingHead = 0
        }
        return item
      }
      guard let chunk = try await link.read(until: deadline) else {
        // Whatever link this is, a read cut short by cancellation is no silence of the DUT's.
        try Task.checkCancellation()
        return nil
      }
      try? log?.append(chunk.bytes)
      decoder.decode(chunk) { item in
        pending.append(item)
        remember(item)
      }
    }
  }

  /// Sends a command line to the DUT.
  func send(_ command: TelemetryCommand, within timeout: Duration) async throws {
    try await link.write(TelemetryEncoder.encode(command), deadline: clock.deadline(after: timeout))
  }

  /// Forgets everything received and not yet read: output from before a power cycle.
  func discardPending() {
    pending.removeAll(keepingCapacity: true)
    pendingHead = 0
    decoder = TelemetryDecoder()
    link.discardInput()
  }

  private func remember(_ item: ConsoleItem) {
    let line: String
    switch item {
    case .log(let text, _): line = text
    case .damaged(let text, let reason, _): line = "\(text)    [damaged record: \(reason)]"
    case .record: return
    }
    recent.append(line)
    if recent.count > recentLimit { recent.removeFirst(recent.count - recentLimit) }
  }
}

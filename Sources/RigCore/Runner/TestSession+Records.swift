// SPDX-License-Identifier: Apache-2.0

/// What the DUT says during a test, taken in: its records matched to frames, scored and written
/// to frames.csv; a reset, a fault or a failed camera check ending the test; records of another
/// boot, damaged records and log lines counted.
extension TestSession {
  /// Takes in one console item; true when it was a record of this boot (the DUT is alive).
  /// Throws when it ends the test: a reset, a fault, a failed camera check.
  func take(_ item: ConsoleItem, nonce: UInt32, frames n: Int) async throws -> Bool {
    switch item {
    case .record(let message, let arrival):
      guard message.nonce == nonce else {
        try foreign(message, nonce: nonce, frames: n)
        return false
      }
      try await take(message.record, arrival: arrival)
      return true
    case .damaged(let line, let reason, _):
      progress.accounting.badChecksum += 1
      found(.badChecksum, frame: nil, "damaged telemetry record (\(reason)): \(line.prefix(120))")
    case .log:
      progress.accounting.logLines += 1
    }
    return false
  }

  /// A record without this boot's nonce: a boot record (the board reset itself, which ends the
  /// test), or a stale record of an earlier boot, counted and ignored.
  private func foreign(_ message: TelemetryMessage, nonce: UInt32, frames n: Int) throws {
    if message.nonce == 0, case .boot(let bootIdentity) = message.record {
      context.strategy.invalidate()
      found(.reset, frame: progress.nextExpected, "the board rebooted (reset cause \(bootIdentity.resetCause))")
      throw RigError(
        .hardwareFault,
        "the DUT reset itself during the test (reset cause \(bootIdentity.resetCause)) near frame "
          + "\(progress.nextExpected) of \(n)")
    }
    progress.accounting.staleNonce += 1
    found(.staleNonce, frame: nil, "record with nonce \(hex8(message.nonce)) ignored; this boot's nonce is \(hex8(nonce))")
  }

  /// One record of this boot.
  private func take(_ record: TelemetryRecord, arrival: HostClock.Instant) async throws {
    switch record {
    case .frame(let report):
      if progress.join.needsServedView(report) {
        // The record matches no frame: the emulator's events about it may still be on their
        // way over the other link. A status round trip brings every earlier one in.
        try await emulatorBarrier()
      }
      for outcome in progress.join.resolve(report) { apply(outcome, arrival: arrival) }
      progress.consumed = max(progress.consumed, progress.nextExpected)
    case .fault(let kind, let detail):
      context.strategy.invalidate()
      throw RigError(.hardwareFault, "the DUT reported a fault: \(kind) \(detail)")
    case .error(let code, let detail) where code.hasPrefix("camera_"):
      // The firmware's camera check failed: no frame it reads can be trusted.
      throw cameraCheckFailed(code, detail, after: lastLines(context.console.recentLines))
    case .error(let code, let detail):
      context.record(.note(Note(level: .warning, message: "DUT error \(code): \(detail)", test: test.name)))
    case .boot, .hello, .summary, .ack:
      break
    }
  }

  /// Counts, reports and writes one outcome of the join.
  func apply(_ r: FrameJoin.Result, arrival: HostClock.Instant) {
    switch r.kind {
    case .matched:
      guard let index = r.index, let report = r.report else { return }
      applyMatched(index, report, arrival: arrival)
    case .duplicated:
      progress.accounting.duplicated += 1
      name(.duplicated, r.index)
      found(.duplicated, frame: r.index, r.detail)
    case .unknown:
      progress.accounting.unknown += 1
      found(.unknown, frame: progress.nextExpected, r.detail)
    case .missing, .dropped, .damaged, .truncated, .badLength:
      guard let index = r.index else { return }
      applyUnreported(index, r)
    }
  }

  /// A frame the DUT reported: scored when its status is `ok`, a device error otherwise.
  private func applyMatched(_ index: Int, _ report: FrameReport, arrival: HostClock.Instant) {
    progress.accounting.matched += 1
    let label = test.clip.labels[index]
    if report.status == "ok" {
      progress.evaluator?.add(label: label, report: report)
    } else {
      progress.accounting.deviceErrors += 1
      progress.deviceStatuses[report.status, default: 0] += 1
      found(.fault, frame: index, "DUT reported status \(report.status)")
    }
    let outcome = FrameOutcome(
      index: index, label: label, report: report, sentCRC: progress.join.matcher.crc(of: index), finding: .matched,
      cpuHz: progress.evaluator?.device.cpuHz ?? 0,
      hostSeconds: progress.queuedAt.removeValue(forKey: index).map { (arrival - $0).seconds })
    progress.csv?.write(outcome)
    context.observeFrame?(test.name, outcome)
  }

  /// A frame without a good record: missing, dropped by the DUT, or read wrong.
  private func applyUnreported(_ index: Int, _ r: FrameJoin.Result) {
    let kinds: (FrameFinding.Kind, FrameOutcome.Finding)
    switch r.kind {
    case .dropped:
      // Served but never reported: missing, and dropped on the DUT's side.
      progress.accounting.missing += 1
      progress.accounting.dropped += 1
      kinds = (.dropped, .dropped)
    case .damaged:
      progress.accounting.damaged += 1
      kinds = (.damaged, .damaged)
    case .truncated:
      progress.accounting.truncated += 1
      kinds = (.truncated, .truncated)
    case .badLength:
      progress.accounting.badLength += 1
      kinds = (.badLength, .badLength)
    default:
      progress.accounting.missing += 1
      kinds = (.missing, .missing)
    }
    name(kinds.0, index)
    progress.queuedAt.removeValue(forKey: index)
    found(kinds.0, frame: index, r.detail)
    let outcome = FrameOutcome(
      index: index, label: test.clip.labels[index], report: r.report,
      sentCRC: progress.join.matcher.crc(of: index), finding: kinds.1, cpuHz: progress.evaluator?.device.cpuHz ?? 0)
    progress.csv?.write(outcome)
    context.observeFrame?(test.name, outcome)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// The watchdog's judgement of a silent console: what the silence means, said as the error that
/// ends the test.
extension TestSession {
  /// The console said nothing until the deadline: the test's timeout, a capture the emulator
  /// never completed, or a hang, each thrown. Returns only when every frame was consumed and the
  /// DUT answers a `stats` probe: it merely lost its last records.
  func silence(frames n: Int, testDeadline: HostClock.Instant, nonce: UInt32) async throws {
    // The console's last lines when the error is raised, probe answers included.
    var recent: String { lastLines(context.console.recentLines) }
    if clock.now >= testDeadline {
      throw RigError(
        .timedOut,
        "test timed out after \(test.timeout) with \(progress.nextExpected) of \(n) frames reported" + recent)
    }
    if progress.consumed >= n, try await isAlive(nonce: nonce) { return }
    try await emulatorBarrier()
    if let stuck = progress.join.stuckCapture {
      throw captureStuck(sequence: stuck.sequence, frame: stuck.frame, recent: recent)
    }
    throw RigError(
      .hang,
      "the DUT stopped answering: no telemetry for \(timing.hangTimeout) after frame "
        + "\(max(progress.nextExpected - 1, 0)) of \(n)" + recent)
  }

  /// A capture the emulator started and never completed: the DUT's driver polls CAP_DONE without
  /// a timeout, as the stock one does. Records the finding (and the frame's row) and returns the
  /// test's error.
  private func captureStuck(sequence: UInt32, frame: Int?, recent: String) -> RigError {
    let frameText = frame.map { " (frame \($0))" } ?? ""
    name(.captureStuck, frame)
    progress.accounting.captureStuck += 1
    found(.captureStuck, frame: frame, "the emulator started capture \(sequence)\(frameText) and never raised CAP_DONE")
    if let frame {
      progress.stuckFrame = frame
      progress.csv?.write(FrameOutcome(
        index: frame, label: test.clip.labels[frame], report: nil,
        sentCRC: progress.join.matcher.crc(of: frame), finding: .captureStuck, cpuHz: 0))
    }
    return RigError(
      .hardwareFault,
      "the camera emulator never raised CAP_DONE for capture \(sequence)\(frameText): the DUT's "
        + "driver polls 0x41 for ever and sent nothing for \(timing.hangTimeout)"
        + armedNote(frame) + recent)
  }
}

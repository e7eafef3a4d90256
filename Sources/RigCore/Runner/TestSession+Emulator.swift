// SPDX-License-Identifier: Apache-2.0

/// The test's side of the camera emulator: frames out ahead of the DUT, and the emulator's events
/// in, which say what it served and which frames the DUT has latched.
extension TestSession {
  /// Keeps the emulator a few frames ahead: enough that the DUT never waits on the host, few
  /// enough that a fault is noticed close to the frame that caused it. Captures move the window
  /// (the DUT keeps going while its records are still on their way), but never further than
  /// `recordLag` frames past the last record taken in: a host that falls behind the console
  /// must slow the DUT down, not queue its records without bound.
  func refill(from frames: EmulatorFrameSource) async throws {
    let camera = context.bench.camera
    let window = max(1, min(camera.queueCapacity, 8))
    let recordLag = 8 * window
    while progress.nextToSend < frames.count && progress.nextToSend - progress.consumed < window
      && progress.nextToSend - progress.nextExpected < recordLag
    {
      let frame = try frames.frame(progress.nextToSend)
      try await camera.enqueue(frame, deadline: clock.deadline(after: timing.commandTimeout))
      progress.join.sent(crc: frame.crc32, length: frame.bytes.count)
      progress.accounting.sent += 1
      progress.queuedAt[progress.nextToSend] = clock.now
      progress.nextToSend += 1
    }
  }

  /// Every event the emulator produced so far has been taken in when this returns: its answer to
  /// a status request comes after them on the link.
  func emulatorBarrier() async throws {
    _ = try await context.bench.camera.status(deadline: clock.deadline(after: timing.commandTimeout))
    try await drainEmulatorEvents()
  }

  /// Takes in the emulator's events: the served view of the join, and which frames it has
  /// latched, so the queue can be refilled behind them.
  func drainEmulatorEvents() async throws {
    while let event = try await context.bench.camera.nextEvent(until: clock.now) {
      progress.join.observe(event)
      if case .captureDone(_, let frameIndex, _, _) = event {
        progress.consumed = max(progress.consumed, frameIndex + 1)
      }
      if case .eventsLost = event {
        found(.eventsLost, frame: nil, "the camera emulator dropped events; its view of some frames is incomplete")
      }
    }
  }
}

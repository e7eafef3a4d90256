// SPDX-License-Identifier: Apache-2.0

/// The test's exchanges with the DUT over its console: a command and its acknowledgement, the
/// `stats` probe of a silent DUT, and `stop` with its summary. Each reads past whatever else the
/// console says, up to the rig's command timeout.
extension TestSession {
  /// Sends a command and waits for its acknowledgement, reading past anything else.
  func command(_ command: TelemetryCommand, expecting name: String, nonce: UInt32) async throws {
    try await context.console.send(command, within: timing.commandTimeout)
    let deadline = clock.deadline(after: timing.commandTimeout)
    var cameraError: (code: String, detail: String)?
    while let item = try await context.console.next(until: deadline) {
      guard case .record(let message, _) = item, message.nonce == nonce else { continue }
      if case .error(let code, let detail) = message.record, code.hasPrefix("camera_") {
        // The firmware checks its camera as it starts a test.
        cameraError = (code, detail)
      }
      if case .ack(let acked) = message.record, acked == name {
        guard let cameraError else { return }
        throw cameraCheckFailed(cameraError.code, cameraError.detail)
      }
    }
    throw RigError(
      .protocolViolation,
      "the DUT did not acknowledge '\(name)' within \(timing.commandTimeout)"
        + lastLines(context.console.recentLines))
  }

  /// Asks for statistics; true when the DUT answers with this boot's nonce.
  func isAlive(nonce: UInt32) async throws -> Bool {
    try await context.console.send(.stats(nonce: nonce), within: timing.commandTimeout)
    let deadline = clock.deadline(after: timing.commandTimeout)
    while let item = try await context.console.next(until: deadline) {
      if case .record(let message, _) = item, message.nonce == nonce, case .summary = message.record {
        return true
      }
    }
    return false
  }

  /// Ends frame processing; the summary is informational, so its absence is only a warning.
  func stop(nonce: UInt32) async throws {
    try await context.console.send(.stop(nonce: nonce), within: timing.commandTimeout)
    let deadline = clock.deadline(after: timing.commandTimeout)
    while let item = try await context.console.next(until: deadline) {
      if case .record(let message, _) = item, message.nonce == nonce, case .summary = message.record {
        return
      }
    }
    progress.warnings.append("the DUT did not answer 'stop' with a summary within \(timing.commandTimeout)")
    context.strategy.invalidate()
  }
}

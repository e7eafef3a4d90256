// SPDX-License-Identifier: Apache-2.0

/// Where the board is, as far as the runner knows.
public enum BoardState: Sendable, Equatable {
  /// Not yet put in a known state.
  case unknown
  case off
  /// Booted, identified, and answering with `nonce` on every record.
  case booted(identity: Identity, nonce: UInt32)
}

/// Moves the board between its states through the bench's capabilities:
/// off → (power on, boot record) → hello with a fresh nonce → booted.
///
/// A new nonce is drawn for every boot, so nothing the board printed before its last power cycle
/// can count afterwards.
final class BoardStrategy {
  private let bench: Bench
  private let console: ConsoleMonitor
  private let announce: (BoardStateChange) -> Void
  private var generator: any RandomNumberGenerator
  private(set) var state: BoardState = .unknown

  init(
    bench: Bench, console: ConsoleMonitor, generator: any RandomNumberGenerator = SystemRandomNumberGenerator(),
    announce: @escaping (BoardStateChange) -> Void
  ) {
    self.bench = bench
    self.console = console
    self.generator = generator
    self.announce = announce
  }

  private var timing: BenchTiming { bench.rig.timing }
  /// The run's clock, shared with the console.
  var clock: HostClock { console.clock }

  /// The identity and nonce of the booted board, booting it first if it is not.
  func ensureBooted() async throws -> (identity: Identity, nonce: UInt32) {
    if case .booted(let identity, let nonce) = state { return (identity, nonce) }
    return try await boot()
  }

  /// Power-cycles the board and waits for it to identify itself.
  @discardableResult
  func boot() async throws -> (identity: Identity, nonce: UInt32) {
    try await powerOff(hold: timing.powerOffTime)
    console.discardPending()
    announce(BoardStateChange(state: "booting", detail: "power on, waiting up to \(timing.bootTimeout) for the boot record"))
    try await bench.power.set(.on)

    let bootDeadline = clock.deadline(after: timing.bootTimeout)
    var bootIdentity: Identity?
    while bootIdentity == nil {
      guard let item = try await console.next(until: bootDeadline) else {
        throw RigError(
          .timedOut,
          "no boot record from the board within \(timing.bootTimeout) of power on"
            + lastLines(console.recentLines))
      }
      if case .record(let message, _) = item, case .boot(let identity) = message.record {
        bootIdentity = identity
      }
    }

    let nonce = UInt32.random(in: 1...UInt32.max, using: &generator)
    let identity = try await hello(nonce: nonce)
    state = .booted(identity: identity, nonce: nonce)
    announce(
      BoardStateChange(
        state: "booted",
        detail: "fw=\(identity.firmwareVersion) img=\(identity.imageHash) "
          + "model=\(hex8(identity.modelCRC)) cpu=\(identity.cpuHz) reset=\(identity.resetCause) "
          + "nonce=\(hex8(nonce))"))
    return (identity, nonce)
  }

  /// Sends `hello` with the nonce and waits for the board to answer with it (two tries).
  private func hello(nonce: UInt32) async throws -> Identity {
    for _ in 0..<2 {
      try await console.send(.hello(nonce: nonce), within: timing.commandTimeout)
      let deadline = clock.deadline(after: timing.commandTimeout)
      while let item = try await console.next(until: deadline) {
        if case .record(let message, _) = item, message.nonce == nonce,
          case .hello(let identity) = message.record
        {
          return identity
        }
      }
    }
    throw RigError(
      .protocolViolation,
      "the board booted but did not answer hello within \(timing.commandTimeout) (twice)"
        + lastLines(console.recentLines))
  }

  /// Switches the board off and holds it off for `hold`.
  func powerOff(hold: Duration = .zero) async throws {
    try await bench.power.set(.off)
    if state != .off {
      state = .off
      announce(BoardStateChange(state: "off", detail: "power off"))
    }
    if hold > .zero { try await clock.sleep(for: hold) }
  }

  /// Forgets the board's state so the next test boots it again (after a hang or a reset).
  func invalidate() {
    if case .booted = state { state = .unknown }
  }
}

func hex8(_ value: UInt32) -> String {
  let digits = String(value, radix: 16, uppercase: true)
  return String(repeating: "0", count: 8 - digits.count) + digits
}

/// "; last console lines: …" or "" when there were none.
func lastLines(_ lines: [String]) -> String {
  guard !lines.isEmpty else { return "; the console printed nothing" }
  return "; last console lines:\n  " + lines.joined(separator: "\n  ")
}

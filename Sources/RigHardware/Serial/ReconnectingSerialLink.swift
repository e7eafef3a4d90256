// SPDX-License-Identifier: Apache-2.0
import Logging
import RigCore

/// A serial link that survives its port disappearing: when a read or write fails (USB unplug,
/// the board re-enumerating its USB, a pseudo-terminal re-created), it reopens the port as soon
/// as it is back, for up to `reconnect`. Past that, reads and writes throw an error naming the
/// port and how long it waited.
///
/// Bytes that arrived before the loss are still delivered; bytes sent by the device while the
/// port was gone are lost, as they would be on the wire. One reader and one writer may use it.
public final class ReconnectingSerialLink: SerialLink, Sendable {
  public let name: String
  public let reconnect: Duration
  private let reopen: @Sendable () throws -> any SerialLink
  private let logger: Logger
  /// How often a vanished port is looked for.
  private let retryInterval: Duration

  private struct State {
    var link: (any SerialLink)?
    /// Bumped on every reopen, so a failure reported against an old link is ignored.
    var generation = 0
    var lostAt: ContinuousClock.Instant?
    var lossReason: String?
    var lastReopenError: String?
    var reopening = false
    var closed = false
  }

  private let state: Locked<State>

  /// Wraps `first`; `reopen` opens the same port again.
  public init(
    first: any SerialLink, name: String, reconnect: Duration, logger: Logger,
    retryInterval: Duration = .milliseconds(50),
    reopen: @escaping @Sendable () throws -> any SerialLink
  ) {
    self.name = name
    self.reconnect = reconnect
    self.logger = logger
    self.retryInterval = retryInterval
    self.reopen = reopen
    state = Locked(State(link: first))
  }

  public func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
    while true {
      guard let (link, generation) = try await currentLink(until: deadline) else { return nil }
      do {
        return try await link.read(until: deadline)
      } catch is CancellationError {
        throw CancellationError()
      } catch {
        await lost(link, generation, error)
      }
    }
  }

  public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
    while true {
      guard let (link, generation) = try await currentLink(until: deadline) else {
        throw RigError(
          .timedOut,
          "serial port \(name): gone; a write of \(bytes.count) bytes timed out "
            + "waiting for it to come back"
        )
      }
      do {
        try await link.write(bytes, deadline: deadline)
        return
      } catch let error as RigError where error.code == .timedOut {
        throw error
      } catch {
        await lost(link, generation, error)
      }
    }
  }

  public func discardInput() {
    state.withLock { $0.link }?.discardInput()
  }

  public func close() async {
    let link = state.withLock { s -> (any SerialLink)? in
      s.closed = true
      defer { s.link = nil }
      return s.link
    }
    await link?.close()
  }

  /// The open link, reopening a lost one; nil when `deadline` passes first, an error once the
  /// port has been gone longer than `reconnect`.
  private func currentLink(until deadline: ContinuousClock.Instant) async throws -> (
    any SerialLink, Int
  )? {
    while true {
      enum Step {
        case use(any SerialLink, Int)
        case reopen(since: ContinuousClock.Instant)
        case wait(since: ContinuousClock.Instant)
      }
      let step = try state.withLock { s throws -> Step in
        if s.closed { throw RigError(.hardwareFault, "serial port \(name) is closed") }
        if let link = s.link { return .use(link, s.generation) }
        let since = s.lostAt ?? .now
        if ContinuousClock.now - since >= reconnect { throw gaveUp(s) }
        if s.reopening { return .wait(since: since) }
        s.reopening = true
        return .reopen(since: since)
      }
      switch step {
      case .use(let link, let generation):
        return (link, generation)
      case .reopen(let since):
        do {
          let link = try reopen()
          let generation = state.withLock { s -> Int in
            s.link = link
            s.generation += 1
            s.lostAt = nil
            s.lossReason = nil
            s.lastReopenError = nil
            s.reopening = false
            return s.generation
          }
          let away = Self.rounded(ContinuousClock.now - since)
          logger.notice("serial port \(name) is back after \(away); reopened")
          return (link, generation)
        } catch {
          state.withLock { s in
            s.reopening = false
            s.lastReopenError = (error as? RigError)?.message ?? ErrorText.describe(error)
          }
        }
      case .wait:
        break
      }
      let now = ContinuousClock.now
      if now >= deadline { return nil }
      let since = state.withLock { $0.lostAt } ?? now
      let giveUpAt = since + reconnect
      try await Task.sleep(
        until: min(now + retryInterval, deadline, max(giveUpAt, now)), clock: .continuous)
    }
  }

  /// Records that `link` failed, closes it, and starts the reconnect window.
  private func lost(_ link: any SerialLink, _ generation: Int, _ error: any Error) async {
    if error is CancellationError { return }
    let reason = (error as? RigError)?.message ?? ErrorText.describe(error)
    let current = state.withLock { s -> Bool in
      guard s.generation == generation, s.link != nil else { return false }
      s.link = nil
      s.lostAt = .now
      s.lossReason = reason
      return true
    }
    guard current else { return }
    logger.warning(
      "\(reason); waiting up to \(Self.rounded(reconnect)) for serial port \(name) to come back")
    await link.close()
  }

  /// A duration rounded to the millisecond, as `1.25s` would be hard to read as `1250123us`.
  static func rounded(_ d: Duration) -> String {
    let (seconds, attoseconds) = d.components
    return DurationParser.format(
      .milliseconds(seconds * 1000 + attoseconds / 1_000_000_000_000_000))
  }

  private func gaveUp(_ s: State) -> RigError {
    var message =
      "serial port \(name) disappeared and did not come back within \(Self.rounded(reconnect))"
    if let reason = s.lossReason { message += " (\(reason))" }
    if let last = s.lastReopenError { message += "; last attempt to reopen: \(last)" }
    return RigError(.hardwareFault, message)
  }
}

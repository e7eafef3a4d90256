// SPDX-License-Identifier: Apache-2.0

/// Watches a pool rig's instruments for the faults that mean the rig itself is broken rather
/// than the firmware on it: its power switch failing, its console going away (a board unplugged,
/// a USB hub lost, a power command that errors). The first such fault is kept; the pool then
/// takes the rig out and gives its remaining tests to the other rigs.
///
/// A DUT that hangs, resets or prints garbage is the firmware's business, and is not watched:
/// the rig power-cycles it and goes on.
public final class BenchWatch: Sendable {
  private let fault = Locked<String?>(nil)

  public init() {}

  /// The first fault seen, as a reason to take the rig out; nil while the rig is sound.
  public var reason: String? { fault.withLock { $0 } }

  /// `bench` with its power switch and console watched.
  public func watching(_ bench: Bench) -> Bench {
    var watched = bench
    watched.power = WatchedPowerSwitch(inner: bench.power, watch: self)
    watched.console = WatchedSerialLink(inner: bench.console, watch: self)
    return watched
  }

  func record(_ error: any Error, _ what: String) {
    // A cancelled step fails because rig stopped it, not because the rig broke.
    guard !(error is CancellationError), !Task.isCancelled else { return }
    if let rig = error as? RigError, rig.code == .interrupted { return }
    fault.withLock { if $0 == nil { $0 = "\(what): \(error)" } }
  }
}

private struct WatchedPowerSwitch: PowerSwitch {
  let inner: any PowerSwitch
  let watch: BenchWatch

  func set(_ state: PowerState) async throws {
    do {
      try await inner.set(state)
    } catch {
      watch.record(error, "its power switch failed switching \(state.rawValue)")
      throw error
    }
  }
}

private struct WatchedSerialLink: SerialLink {
  let inner: any SerialLink
  let watch: BenchWatch

  var name: String { inner.name }

  func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
    do {
      try await inner.write(bytes, deadline: deadline)
    } catch let error as RigError where error.code == .timedOut {
      // A full buffer is the DUT not reading; the link is still there.
      throw error
    } catch {
      watch.record(error, "its console \(inner.name) is gone")
      throw error
    }
  }

  func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
    do {
      return try await inner.read(until: deadline)
    } catch {
      watch.record(error, "its console \(inner.name) is gone")
      throw error
    }
  }

  func discardInput() { inner.discardInput() }
  func close() async { await inner.close() }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore

/// A serial link that damages what passes through it, from a fixed seed: flipped bytes, dropped
/// bytes and inserted noise, on the way out, the way in, or both.
final class DamagingLink: SerialLink {
  struct Damage: Sendable {
    /// Chance per written chunk / received chunk that it is damaged.
    var outgoing = 0.0
    var incoming = 0.0
  }

  private let inner: any SerialLink
  private let state: Locked<(random: FuzzRandom, damage: Damage, damaged: Int)>

  init(_ inner: any SerialLink, seed: UInt64, damage: Damage) {
    self.inner = inner
    state = Locked((FuzzRandom(seed: seed), damage, 0))
  }

  var name: String { inner.name }

  /// How many chunks were damaged so far.
  var damaged: Int { state.withLock { $0.damaged } }

  /// Stops damaging.
  func heal() {
    state.withLock { $0.damage = Damage() }
  }

  func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
    try await inner.write(mangle(bytes, outgoing: true), deadline: deadline)
  }

  func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
    guard var chunk = try await inner.read(until: deadline) else { return nil }
    chunk.bytes = mangle(chunk.bytes, outgoing: false)
    return chunk
  }

  func discardInput() { inner.discardInput() }
  func close() async { await inner.close() }

  private func mangle(_ bytes: [UInt8], outgoing: Bool) -> [UInt8] {
    state.withLock { s in
      let chance = outgoing ? s.damage.outgoing : s.damage.incoming
      guard !bytes.isEmpty, Double.random(in: 0..<1, using: &s.random) < chance else { return bytes }
      s.damaged += 1
      var out = bytes
      let at = Int.random(in: 0..<out.count, using: &s.random)
      switch Int.random(in: 0..<3, using: &s.random) {
      case 0: out[at] ^= UInt8.random(in: 1...255, using: &s.random)
      case 1: out.remove(at: at)
      default: out.insert(contentsOf: s.random.noise(Int.random(in: 1...40, using: &s.random)), at: at)
      }
      return out
    }
  }
}

/// A "device" that answers everything with random bytes.
final class GarbageLink: SerialLink {
  private let random: Locked<FuzzRandom>
  init(seed: UInt64) { random = Locked(FuzzRandom(seed: seed)) }
  var name: String { "garbage" }
  func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {}
  func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
    await Task.yield()
    return SerialChunk(bytes: random.withLock { r in r.noise(Int.random(in: 1...512, using: &r)) })
  }
  func discardInput() {}
  func close() async {}
}

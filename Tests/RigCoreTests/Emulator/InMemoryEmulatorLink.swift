// SPDX-License-Identifier: Apache-2.0
import Foundation
@testable import RigCore

/// The emulator's side of the link protocol in memory (`docs/emulator-protocol.md`), for testing
/// the link driver without the C device: it answers in order, keeps uploaded frames in slots and
/// the play queue, checks each frame's CRC at LOAD_END, and loses on the way the requests a test
/// names (the emulator never sees them, as when the link damages them).
///
/// It speaks only when written to: replies are ready when the write returns, so a read that finds
/// nothing has nothing to wait for but its deadline (reached at once when a test loses no
/// request last). With `dutReads`, a DUT reads each frame as soon as it is queued: a capture and
/// a complete read are reported, and its RAM freed.
final class InMemoryEmulatorLink: SerialLink {
  /// A request to lose: the `nth` (from 1) of its type.
  struct Loss: Hashable {
    var type: EmulatorLink.MessageType
    var nth: Int
  }

  /// A frame the DUT read: its tag (the host's index) and the CRC of the bytes.
  struct Served: Equatable {
    var tag: UInt32
    var crc: UInt32
  }

  private struct Load {
    var tag: UInt32
    var crc: UInt32
    var bytes: [UInt8]
    var ram: Int
  }

  private struct State {
    var decoder = EmulatorLinkDecoder(maxPayload: 1 << 13)
    var output: [UInt8] = []
    var seen: [EmulatorLink.MessageType: Int] = [:]
    var losses: Set<Loss> = []
    var lost: [Loss] = []
    var noRoomFor = 0
    var loading: [UInt8: Load] = [:]
    var loaded: [UInt8: Load] = [:]
    var nextStreamSlot: UInt8 = 100
    var streamLoad: UInt8?
    var queue: [Served] = []
    var served: [Served] = []
    var freeRAM: Int
    var captures: UInt32 = 0
    var eventNumber: UInt16 = 0
  }

  let name = "in-memory emulator"
  let ram: Int
  let window: Int
  let maxPayload: Int
  let dutReads: Bool
  private let state: Locked<State>

  init(ram: Int = 256 * 1024, window: Int = 8, maxPayload: Int = 1024, dutReads: Bool = false) {
    self.ram = ram
    self.window = window
    self.maxPayload = maxPayload
    self.dutReads = dutReads
    state = Locked(State(freeRAM: ram))
  }

  /// Loses the requests named on their way to the emulator.
  func lose(_ losses: Loss...) { state.withLock { $0.losses.formUnion(losses) } }
  /// Refuses the next `n` stream LOAD_BEGINs with `no_ram`, as while the DUT holds the RAM.
  func refuseRoom(times n: Int) { state.withLock { $0.noRoomFor = n } }
  /// Requests lost so far.
  var lost: [Loss] { state.withLock { $0.lost } }
  /// The play queue not yet read: tags and CRCs.
  var queued: [Served] { state.withLock { $0.queue } }
  /// Frames the DUT read (`dutReads`), in order.
  var served: [Served] { state.withLock { $0.served } }
  /// Requests received of `type`, lost ones included.
  func count(_ type: EmulatorLink.MessageType) -> Int { state.withLock { $0.seen[type] ?? 0 } }

  func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
    state.withLock { s in
      s.decoder.feed(bytes)
      while let message = s.decoder.next() {
        guard let type = EmulatorLink.MessageType(rawValue: message.type) else { continue }
        let nth = (s.seen[type] ?? 0) + 1
        s.seen[type] = nth
        if s.losses.contains(Loss(type: type, nth: nth)) {
          s.lost.append(Loss(type: type, nth: nth))
          continue
        }
        handle(type, message, &s)
      }
    }
  }

  func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
    let chunk = state.withLock { s -> SerialChunk? in
      guard !s.output.isEmpty else { return nil }
      defer { s.output.removeAll() }
      return SerialChunk(bytes: s.output)
    }
    if chunk == nil { try await Task.sleep(until: deadline, clock: .continuous) }
    return chunk
  }

  func discardInput() { state.withLock { $0.output.removeAll() } }
  func close() async {}

  // MARK: - The device

  private func handle(_ type: EmulatorLink.MessageType, _ message: EmulatorLinkMessage, _ s: inout State) {
    let f = EmulatorLinkFields(message.payload)
    func reply(_ payload: [UInt8] = []) {
      s.output += EmulatorLinkMessage(type: type.reply, seq: message.seq, payload: payload).encoded()
    }
    func refuse(_ code: EmulatorLinkFailure.Code) {
      var payload: [UInt8] = []
      payload.appendLinkField(code.rawValue)
      payload += [type.rawValue, 0] + Array(code.name.utf8)
      s.output += EmulatorLinkMessage(.error, seq: message.seq, payload: payload).encoded()
    }
    switch type {
    case .hello:
      var payload: [UInt8] = [EmulatorLink.version, 0, 0b0111, 16, 32, UInt8(window)]
      payload.appendLinkField(UInt16(maxPayload))
      payload.appendLinkField(UInt32(ram))
      payload.appendLinkField(UInt32(ram))
      payload += Array("in-memory emulator".utf8)
      reply(payload)
    case .reset:
      s.queue.removeAll()
      s.loading.removeAll()
      s.loaded.removeAll()
      s.streamLoad = nil
      s.freeRAM = ram
      reply()
    case .queueClear:
      s.queue.removeAll()
      reply()
    case .sync:
      var payload: [UInt8] = []
      payload.appendLinkField(UInt64(s.eventNumber))
      reply(payload)
    case .loadBegin:
      var slot = f.u8(0)
      let length = Int(f.u32(6))
      let aligned = (length + 3) & ~3
      if slot == EmulatorLink.streamSlot {
        if s.noRoomFor > 0 || aligned > s.freeRAM {
          s.noRoomFor = max(0, s.noRoomFor - 1)
          return refuse(.noRAM)
        }
        if let previous = s.streamLoad, let abandoned = s.loading.removeValue(forKey: previous) {
          s.freeRAM += abandoned.ram
        }
        slot = s.nextStreamSlot
        s.nextStreamSlot &+= 1
        s.streamLoad = slot
      }
      s.freeRAM -= aligned
      s.loading[slot] = Load(tag: f.u32(14), crc: f.u32(10), bytes: Array(repeating: 0, count: length), ram: aligned)
      reply()
    case .loadData:
      let slot = f.u8(0) == EmulatorLink.streamSlot ? s.streamLoad : f.u8(0)
      let offset = Int(f.u32(1))
      let data = message.payload.dropFirst(EmulatorLink.loadDataPrefix)
      guard let slot, var load = s.loading[slot], offset + data.count <= load.bytes.count else {
        return refuse(.state)
      }
      load.bytes.replaceSubrange(offset..<(offset + data.count), with: data)
      s.loading[slot] = load
      reply()
    case .loadEnd:
      let stream = f.u8(0) == EmulatorLink.streamSlot
      guard let slot = stream ? s.streamLoad : f.u8(0), let load = s.loading.removeValue(forKey: slot) else {
        return refuse(.state)
      }
      if stream { s.streamLoad = nil }
      guard CRC32.checksum(load.bytes) == load.crc else {
        s.freeRAM += load.ram
        return refuse(.crcMismatch)
      }
      s.loaded[slot] = load
      if f.u8(1) != 0 { enqueue(slot, &s) }
      var payload: [UInt8] = [UInt8(s.queue.count), 0, 0, 0]
      payload.appendLinkField(UInt32(s.freeRAM))
      reply(payload)
    case .free:
      if let load = s.loaded.removeValue(forKey: f.u8(0)) ?? s.loading.removeValue(forKey: f.u8(0)) {
        s.freeRAM += load.ram
      }
      reply()
    case .queue:
      for i in 0..<Int(f.u8(0)) { enqueue(f.u8(1 + i), &s) }
      reply([UInt8(s.queue.count)])
    default:
      reply()
    }
  }

  private func enqueue(_ slot: UInt8, _ s: inout State) {
    guard let load = s.loaded[slot] else { return }
    s.queue.append(Served(tag: load.tag, crc: load.crc))
    guard dutReads else { return }
    let frame = s.queue.removeFirst()
    s.served.append(frame)
    s.captures += 1
    if slot >= 100, let freed = s.loaded.removeValue(forKey: slot) { s.freeRAM += freed.ram }
    event(.captureDone, frame, length: load.bytes.count, &s)
    event(.readDone, frame, length: load.bytes.count, &s)
  }

  private func event(_ kind: EmulatorLinkEvent.Kind, _ frame: Served, length: Int, _ s: inout State) {
    var payload: [UInt8] = [kind.rawValue, 0, 0, 0]
    payload.appendLinkField(s.captures)
    payload.appendLinkField(frame.tag)
    payload.appendLinkField(UInt32(length))
    payload.appendLinkField(UInt32(length))
    payload.appendLinkField(UInt32(kind == .readDone ? length : 0))
    payload.appendLinkField(frame.crc)
    payload.appendLinkField(UInt64(s.captures) * 1000)
    s.eventNumber &+= 1
    s.output += EmulatorLinkMessage(.event, seq: s.eventNumber, payload: payload).encoded()
  }
}

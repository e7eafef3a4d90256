// SPDX-License-Identifier: Apache-2.0
import FuzzSupport
import RigCore

/// The DUT's console through the telemetry decoder. Invariants: the same items whether the bytes
/// come in one chunk or in pieces; every record re-encodes and decodes to itself; a record line
/// with one byte changed never decodes to another record.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTelemetry(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  let limit = 16 + Int(Fuzz.hash(bytes) % 600)
  let whole = TelemetryItem.decode([bytes[...]], maxLineLength: limit)
  let pieces = TelemetryItem.decode(Fuzz.pieces(bytes), maxLineLength: limit)
  Fuzz.require(whole == pieces, "one chunk gave \(whole), pieces gave \(pieces)")
  for case .record(let message) in whole {
    let line = TelemetryEncoder.encode(message)
    guard case .success(let again) = TelemetryDecoder.decodeRecord(line: line) else {
      Fuzz.require(false, "\(message) does not decode from its own encoding")
      return 0
    }
    Fuzz.require(again == message, "\(message) came back as \(again)")
    var damaged = line
    let position = Int(Fuzz.hash(line + bytes) % UInt64(line.count))
    damaged[position] ^= UInt8(1 + Fuzz.hash(bytes) % 255)
    if case .success(let other) = TelemetryDecoder.decodeRecord(line: damaged) {
      Fuzz.require(other == message, "a damaged line decoded to another record: \(other)")
    }
  }
  return 0
}

/// A console item without its arrival time, so decodes at different times compare.
enum TelemetryItem: Equatable {
  case record(TelemetryMessage)
  case log(String)
  case damaged(String, TelemetryDamage)

  static func decode(_ pieces: [ArraySlice<UInt8>], maxLineLength: Int) -> [TelemetryItem] {
    var decoder = TelemetryDecoder(maxLineLength: maxLineLength)
    var items: [TelemetryItem] = []
    let sink = { (item: ConsoleItem) in
      switch item {
      case .record(let message, _): items.append(.record(message))
      case .log(let text, _): items.append(.log(text))
      case .damaged(let text, let reason, _): items.append(.damaged(text, reason))
      }
    }
    for piece in pieces { decoder.decode(SerialChunk(bytes: Array(piece)), into: sink) }
    decoder.finish(into: sink)
    return items
  }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    let identity = Identity(
      firmwareVersion: "1.4.2", imageHash: "5c1a00ff5c1a00ff5c1a00ff5c1a00ff", modelCRC: 0xDEAD_BEEF,
      arenaSize: 136_000, arenaUsed: 85_264, staticRAM: 40_000, cpuHz: 600_000_000,
      buildFlags: ["cmsis_nn", "O2"], resetCause: "por")
    let frame = FrameReport(
      sequence: 7, frameCRC: 0xA1B2_C3D4, length: 9216, count: 2, inCount: 5, outCount: 3,
      cycles: StageCycles(capture: 1000, preprocess: 2000, invoke: 18_000_000, postprocess: 500),
      stackHighWater: 4096, heapHighWater: 0, status: "ok")
    let nonce: UInt32 = 0x0123_ABCD
    let messages = [
      TelemetryMessage(nonce: 0, record: .boot(identity)),
      TelemetryMessage(nonce: nonce, record: .hello(identity)),
      TelemetryMessage(nonce: nonce, record: .frame(frame)),
      TelemetryMessage(
        nonce: nonce,
        record: .summary(Summary(frames: 100, errors: 1, maxCycles: 19_000_000, stackHighWater: 4096))),
      TelemetryMessage(nonce: nonce, record: .ack(command: "start")),
      TelemetryMessage(nonce: nonce, record: .error(code: "cap_timeout", detail: "no frame")),
      TelemetryMessage(nonce: nonce, record: .fault(kind: "hardfault", detail: "pc=0x60002a1c")),
    ]
    var seeds = messages.map { TelemetryEncoder.encode($0) }
    seeds.append(Array("booting...\n".utf8) + TelemetryEncoder.encode(messages[2]) + Array("log\r\n".utf8))
    return seeds
  }
  return 0
}

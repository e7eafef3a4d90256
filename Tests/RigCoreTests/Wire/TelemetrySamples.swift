// SPDX-License-Identifier: Apache-2.0
import RigCore

/// Telemetry values and lines shared by the wire tests.
enum TelemetrySamples {
  static let nonce: UInt32 = 0x0123_ABCD

  static let identity = Identity(
    firmwareVersion: "1.4.2+g1a2b3c", imageHash: "5c1a00ff5c1a00ff5c1a00ff5c1a00ff",
    modelCRC: 0xDEAD_BEEF, arenaSize: 136_000, arenaUsed: 85_264, staticRAM: 40_000,
    cpuHz: 600_000_000, buildFlags: ["cmsis_nn", "O2"], resetCause: "por")

  static let frame = FrameReport(
    sequence: 7, frameCRC: 0xA1B2_C3D4, length: 9216, count: 2, inCount: 5, outCount: 3,
    cycles: StageCycles(capture: 1000, preprocess: 2000, invoke: 18_000_000, postprocess: 500),
    stackHighWater: 4096, heapHighWater: 0, status: "ok")

  /// One message of every record type.
  static let messages: [TelemetryMessage] = [
    TelemetryMessage(nonce: 0, record: .boot(identity)),
    TelemetryMessage(nonce: nonce, record: .hello(identity)),
    TelemetryMessage(nonce: nonce, record: .frame(frame)),
    TelemetryMessage(
      nonce: nonce,
      record: .summary(Summary(frames: 100, errors: 1, maxCycles: 19_000_000, stackHighWater: 4096))
    ),
    TelemetryMessage(nonce: nonce, record: .ack(command: "start")),
    TelemetryMessage(
      nonce: nonce, record: .error(code: "cap_timeout", detail: "no frame in 500 ms (VSYNC low)")),
    TelemetryMessage(
      nonce: nonce, record: .fault(kind: "hardfault", detail: "pc=0x60002a1c lr=0x1")),
  ]

  /// A complete line with a correct checksum around `body` (text from `~` to the checksum).
  static func line(_ body: String) -> [UInt8] {
    Array(body.utf8) + Array(" *\(hex8(CRC32.checksum(body)))\r\n".utf8)
  }

  static func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: 8 - digits.count) + digits
  }

  static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

  /// Decodes a whole stream in one chunk and returns the items without their arrival times.
  static func decodeAll(_ bytes: [UInt8], maxLineLength: Int = 512) -> [Item] {
    var decoder = TelemetryDecoder(maxLineLength: maxLineLength)
    var items: [Item] = []
    decoder.decode(SerialChunk(bytes: bytes)) { items.append(Item($0)) }
    return items
  }

  /// A console item without its arrival time, so streams decoded at different times compare.
  enum Item: Equatable, CustomStringConvertible {
    case record(TelemetryMessage)
    case log(String)
    case damaged(String, TelemetryDamage)

    init(_ item: ConsoleItem) {
      switch item {
      case .record(let message, _): self = .record(message)
      case .log(let text, _): self = .log(text)
      case .damaged(let text, let reason, _): self = .damaged(text, reason)
      }
    }

    var description: String {
      switch self {
      case .record(let message): "record(\(message))"
      case .log(let text): "log(\(text.debugDescription))"
      case .damaged(let text, let reason): "damaged(\(text.debugDescription), \(reason))"
      }
    }
  }
}

/// SplitMix64: a small seeded generator so fuzz loops are repeatable.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

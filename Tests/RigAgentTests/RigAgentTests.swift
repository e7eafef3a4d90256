// SPDX-License-Identifier: Apache-2.0
import RigAgent
import RigCore
import Testing

@Suite struct RigAgentTests {
  static let identity = Identity(
    firmwareVersion: "1.4.2+g1a2b3c", imageHash: "5c1a00ff5c1a00ff5c1a00ff5c1a00ff",
    modelCRC: 0xDEAD_BEEF, arenaSize: 136_000, arenaUsed: 85_264, staticRAM: 40_000,
    cpuHz: 600_000_000, buildFlags: ["cmsis_nn", "O2"], resetCause: "por")

  static let records: [TelemetryRecord] = [
    .hello(identity),
    .frame(
      FrameReport(
        sequence: 41, frameCRC: 0x0BAD_F00D, length: 9216, count: 3, inCount: 12, outCount: 9,
        cycles: StageCycles(
          capture: 912_345, preprocess: 80_000, invoke: 17_654_321, postprocess: 4_000),
        stackHighWater: 6144, heapHighWater: 512, status: "ok")),
    .summary(Summary(frames: 300, errors: 2, maxCycles: 19_000_000, stackHighWater: 6144)),
    .ack(command: "start"),
    .error(code: "cap_timeout", detail: "no VSYNC within 500 ms"),
    .fault(kind: "hardfault", detail: "CFSR=00008200 pc=0x60002a1c"),
  ]

  /// A harness whose agent has taken `nonce` from a hello command.
  static func greeted(_ nonce: UInt32) -> AgentHarness {
    let harness = AgentHarness()
    harness.boot(identity)
    _ = harness.take()
    let accepted = harness.feed(TelemetryEncoder.encode(.hello(nonce: nonce)))
    #expect(accepted == [.hello(nonce: nonce)])
    return harness
  }

  @Test("the agent's CRC has the IEEE check value and chains across calls")
  func crc() {
    let digits = Array("123456789".utf8)
    #expect(rig_crc32_update(0, digits, digits.count) == 0xCBF4_3926)
    let first = rig_crc32_update(0, digits, 4)
    #expect(rig_crc32_update(first, Array(digits[4...]), 5) == 0xCBF4_3926)
    #expect(rig_crc32_update(0, digits, 0) == 0)
    var random = SplitMix(seed: 7)
    for _ in 0..<200 {
      let bytes = (0..<Int.random(in: 0...3000, using: &random)).map { _ in
        UInt8.random(in: 0...255, using: &random)
      }
      #expect(rig_crc32_update(0, bytes, bytes.count) == CRC32.checksum(bytes))
    }
  }

  @Test("the boot record carries nonce 0 and matches the host encoder byte for byte")
  func boot() throws {
    let harness = AgentHarness()
    harness.boot(Self.identity)
    let bytes = harness.take()
    let message = TelemetryMessage(nonce: 0, record: .boot(Self.identity))
    #expect(bytes == TelemetryEncoder.encode(message))
    #expect(try TelemetryDecoder.decodeRecord(line: bytes).get() == message)
  }

  @Test(
    "every record the agent writes matches the host encoder and decodes back", arguments: records)
  func sameBytes(_ record: TelemetryRecord) throws {
    let harness = Self.greeted(0x5EED_0001)
    harness.emit(record)
    let bytes = harness.take()
    let message = TelemetryMessage(nonce: 0x5EED_0001, record: record)
    #expect(
      String(decoding: bytes, as: UTF8.self)
        == String(decoding: TelemetryEncoder.encode(message), as: UTF8.self))
    #expect(try TelemetryDecoder.decodeRecord(line: bytes).get() == message)
  }

  @Test("random values, unsafe bytes and overlong strings give identical bytes on both sides")
  func randomIdentical() throws {
    var random = SplitMix(seed: 0x0716)
    for round in 0..<3000 {
      let nonce = UInt32.random(in: 1...UInt32.max, using: &random)
      let harness = Self.greeted(nonce)
      let record = Self.randomRecord(&random)
      harness.emit(record)
      let bytes = harness.take()
      let expectedNonce: UInt32 = if case .boot = record { 0 } else { nonce }
      let message = TelemetryMessage(nonce: expectedNonce, record: record)
      let encoded = TelemetryEncoder.encode(message)
      if bytes != encoded {
        let agent = String(decoding: bytes, as: UTF8.self)
        let host = String(decoding: encoded, as: UTF8.self)
        Issue.record("round \(round): agent wrote\n\(agent)encoder wrote\n\(host)")
      }
      #expect(bytes.count <= Int(RIG_AGENT_MAX_LINE))
      var decoder = TelemetryDecoder()
      var items: [ConsoleItem] = []
      decoder.decode(SerialChunk(bytes: bytes)) { items.append($0) }
      guard items.count == 1, case .record(let decoded, _) = items[0] else {
        Issue.record("round \(round): \(items)")
        continue
      }
      #expect(decoded.nonce == expectedNonce)
    }
  }

  @Test("valid commands are accepted, and hello makes the agent adopt its nonce")
  func validCommands() throws {
    let harness = Self.greeted(0xCAFE_F00D)
    #expect(harness.nonce == 0xCAFE_F00D)
    let commands: [TelemetryCommand] = [
      .start(nonce: 0xCAFE_F00D, test: "corridor-day"), .stats(nonce: 0xCAFE_F00D),
      .stop(nonce: 0xCAFE_F00D), .start(nonce: 0xCAFE_F00D, test: ""),
      .start(nonce: 0xCAFE_F00D, test: String(repeating: "x", count: 48)),
    ]
    var stream: [UInt8] = []
    for command in commands { stream += TelemetryEncoder.encode(command) }
    #expect(harness.feed(stream) == commands)
    // A bare LF terminator works too.
    #expect(
      harness.feed(Array(TelemetryEncoder.encode(.stats(nonce: 9)).dropLast(2)) + [10]) == [
        .stats(nonce: 9)
      ])
    #expect(harness.take().isEmpty)
    #expect(harness.rejected == 0)
    harness.emit(.ack(command: "start"))
    let ack = try TelemetryDecoder.decodeRecord(line: harness.take()).get()
    #expect(ack.nonce == 0xCAFE_F00D)
  }

  @Test("a command with a bad checksum is rejected with an err record the host can read")
  func badChecksum() throws {
    let harness = Self.greeted(0x0000_0042)
    var line = TelemetryEncoder.encode(.start(nonce: 0x42, test: "a"))
    line[5] ^= 0x01
    #expect(harness.feed(line).isEmpty)
    #expect(harness.rejected == 1)
    let reply = try TelemetryDecoder.decodeRecord(line: harness.take()).get()
    #expect(
      reply
        == TelemetryMessage(
          nonce: 0x42, record: .error(code: "bad_command", detail: "bad checksum")))
  }

  @Test(
    "unknown verbs, bad nonces, bad test names and other versions are rejected",
    arguments: [
      "~H1 reboot 00000042", "~H1 hello 00000000", "~H1 stop 0000004z", "~H2 stop 00000042",
      "~H1 start 00000042 test=a/b", "~H1 start 00000042 test=" + String(repeating: "a", count: 49),
      "~H1 stop 00000042  x=1", "~H1 stats", "~H1 stats 00000042 =1",
    ])
  func rejected(_ body: String) throws {
    let harness = Self.greeted(0x42)
    let line = Array(body.utf8) + Array(" *\(Self.hex8(CRC32.checksum(body)))\r\n".utf8)
    #expect(harness.feed(line).isEmpty)
    #expect(harness.rejected == 1)
    let reply = try TelemetryDecoder.decodeRecord(line: harness.take()).get()
    guard case .error(let code, _) = reply.record else {
      Issue.record("expected an err record, got \(reply)")
      return
    }
    #expect(code == "bad_command")
    #expect(harness.nonce == 0x42)
  }

  @Test("overlong garbage never overflows; the agent resyncs at the next newline")
  func overlong() throws {
    let harness = Self.greeted(0x77)
    var random = SplitMix(seed: 99)
    // Noise that is not a command line is ignored silently.
    let noise = (0..<5000).map { _ in UInt8.random(in: 0x20...0x7E, using: &random) }
    #expect(harness.feed(noise + [10]).isEmpty)
    #expect(harness.take().isEmpty)
    // An overlong line that starts like a command is answered.
    #expect(harness.feed(Array("~H1 start 00000077 test=".utf8) + noise + [13, 10]).isEmpty)
    let reply = try TelemetryDecoder.decodeRecord(line: harness.take()).get()
    #expect(reply.record == .error(code: "bad_command", detail: "command line too long"))
    // The next line is read from its start.
    #expect(harness.feed(TelemetryEncoder.encode(.stop(nonce: 0x77))) == [.stop(nonce: 0x77)])
  }

  @Test("the agent and the host's command decoder accept exactly the same damaged lines")
  func differentialFuzz() {
    var random = SplitMix(seed: 0xF022)
    var accepted = 0
    for round in 0..<20_000 {
      let nonce =
        UInt32.random(in: 0...3, using: &random) == 0
        ? 0 : UInt32.random(in: 1...UInt32.max, using: &random)
      let name = String(
        (0..<Int.random(in: 0...52, using: &random)).map { _ in
          "ab-._Z9/ é".randomElement(using: &random)!
        })
      let commands: [TelemetryCommand] = [
        .hello(nonce: nonce), .start(nonce: nonce, test: name), .stop(nonce: nonce),
        .stats(nonce: nonce),
      ]
      var line = TelemetryEncoder.encode(commands.randomElement(using: &random)!)
      let mutations = Int.random(in: 0...2, using: &random)
      for _ in 0..<mutations where line.count > 2 {
        let at = Int.random(in: 0..<(line.count - 2), using: &random)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: line[at] = UInt8.random(in: 0...255, using: &random)
        case 1: line.remove(at: at)
        default: line.insert(UInt8.random(in: 0x20...0x7E, using: &random), at: at)
        }
      }
      line.removeAll { $0 == 10 }
      line.append(10)
      let harness = AgentHarness()
      let agent = harness.feed(line)
      let host = TelemetryEncoder.decodeCommand(line: line)
      #expect(
        agent == (host.map { [$0] } ?? []),
        "round \(round): \(String(decoding: line, as: UTF8.self))")
      accepted += agent.count
    }
    #expect(accepted > 5000)
  }

  @Test("random bytes never crash the command parser and it stays usable")
  func randomFeed() {
    var random = SplitMix(seed: 3)
    let harness = AgentHarness()
    for _ in 0..<200 {
      let bytes = (0..<Int.random(in: 0...400, using: &random)).map { _ in
        Int.random(in: 0..<10, using: &random) == 0 ? 10 : UInt8.random(in: 0...255, using: &random)
      }
      _ = harness.feed(bytes)
      _ = harness.take()
    }
    #expect(harness.feed([10] + TelemetryEncoder.encode(.hello(nonce: 5))) == [.hello(nonce: 5)])
  }

  // MARK: - Random values

  static func randomString(_ random: inout SplitMix) -> String {
    let palette = Array("abcXYZ019_-.,=~ *\t\r\né")
    let length =
      Int.random(in: 0...4, using: &random) == 0
      ? Int.random(in: 40...300, using: &random) : Int.random(in: 0...20, using: &random)
    return String((0..<length).map { _ in palette.randomElement(using: &random)! })
  }

  static func randomNumber(_ random: inout SplitMix) -> Int {
    switch Int.random(in: 0..<4, using: &random) {
    case 0: 0
    case 1: Int(UInt32.max)
    default: Int.random(in: 0...Int(UInt32.max), using: &random)
    }
  }

  static func randomRecord(_ random: inout SplitMix) -> TelemetryRecord {
    func number() -> Int { randomNumber(&random) }
    func word() -> String { randomString(&random) }
    func u32() -> UInt32 { UInt32(number()) }
    switch Int.random(in: 0..<7, using: &random) {
    case 0, 1:
      let identity = Identity(
        firmwareVersion: word(),
        imageHash: String(repeating: "ab12", count: Int.random(in: 0...20, using: &random)),
        modelCRC: u32(), arenaSize: number(), arenaUsed: number(), staticRAM: number(),
        cpuHz: number(), buildFlags: [word(), word()], resetCause: word())
      return Bool.random(using: &random) ? .boot(identity) : .hello(identity)
    case 2:
      return .frame(
        FrameReport(
          sequence: u32(), frameCRC: u32(), length: number(), count: number(), inCount: number(),
          outCount: number(),
          cycles: StageCycles(capture: u32(), preprocess: u32(), invoke: u32(), postprocess: u32()),
          stackHighWater: number(), heapHighWater: number(), status: word()))
    case 3:
      return .summary(
        Summary(frames: number(), errors: number(), maxCycles: u32(), stackHighWater: number()))
    case 4:
      return .ack(command: word())
    case 5:
      return .error(code: word(), detail: word())
    default:
      return .fault(kind: word(), detail: word())
    }
  }

  static func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: 8 - digits.count) + digits
  }
}

/// SplitMix64: a small seeded generator so fuzz loops are repeatable.
struct SplitMix: RandomNumberGenerator {
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

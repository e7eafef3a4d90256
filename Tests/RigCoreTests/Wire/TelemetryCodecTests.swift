// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite struct TelemetryCodecTests {
  typealias S = TelemetrySamples

  @Test("CRC-32 has the IEEE check value over 123456789")
  func checkValue() {
    #expect(CRC32.checksum("123456789") == 0xCBF4_3926)
  }

  @Test("a frame record is written exactly as the format says")
  func frameBytes() {
    let line = TelemetryEncoder.encode(TelemetryMessage(nonce: S.nonce, record: .frame(S.frame)))
    let body =
      "~T1 frame 0123ABCD seq=7 crc=A1B2C3D4 len=9216 count=2 in=5 out=3 "
      + "cyc=1000,2000,18000000,500 stk=4096 heap=0 st=ok"
    #expect(S.text(line) == body + " *\(S.hex8(CRC32.checksum(body)))\r\n")
  }

  @Test("every record type survives encode and decode", arguments: TelemetrySamples.messages)
  func roundTrip(_ message: TelemetryMessage) throws {
    let line = TelemetryEncoder.encode(message)
    #expect(line.count <= 256)
    #expect(line.suffix(2) == [13, 10])
    let decoded = try TelemetryDecoder.decodeRecord(line: line).get()
    #expect(decoded == message)
    // A bare LF terminator and no terminator at all decode the same.
    #expect(try TelemetryDecoder.decodeRecord(line: line.dropLast(2) + [10]).get() == message)
    #expect(try TelemetryDecoder.decodeRecord(line: line.dropLast(2)).get() == message)
  }

  @Test("empty strings and empty flags round-trip")
  func emptyValues() throws {
    var identity = S.identity
    identity.firmwareVersion = ""
    identity.imageHash = ""
    identity.buildFlags = []
    let messages = [
      TelemetryMessage(nonce: 1, record: .hello(identity)),
      TelemetryMessage(nonce: 1, record: .error(code: "x", detail: "")),
    ]
    for message in messages {
      #expect(
        try TelemetryDecoder.decodeRecord(line: TelemetryEncoder.encode(message)).get() == message)
    }
  }

  @Test("extreme numbers round-trip")
  func extremes() throws {
    let cycles = StageCycles(capture: .max, preprocess: 0, invoke: .max, postprocess: 1)
    let frame = FrameReport(
      sequence: .max, frameCRC: 0, length: Int(UInt32.max), count: 0, inCount: 0,
      outCount: Int(UInt32.max), cycles: cycles, stackHighWater: 0, heapHighWater: 1,
      status: "invoke_fail")
    let message = TelemetryMessage(nonce: .max, record: .frame(frame))
    #expect(
      try TelemetryDecoder.decodeRecord(line: TelemetryEncoder.encode(message)).get() == message)
  }

  @Test("unsafe bytes in values become underscores and long values are cut to their caps")
  func sanitising() throws {
    var identity = S.identity
    identity.firmwareVersion = "v 1*2\u{1}é" + String(repeating: "x", count: 40)
    identity.resetCause = "power on reset"
    let message = TelemetryMessage(nonce: 5, record: .hello(identity))
    let decoded = try TelemetryDecoder.decodeRecord(line: TelemetryEncoder.encode(message)).get()
    guard case .hello(let got) = decoded.record else {
      Issue.record("expected hello, got \(decoded.record)")
      return
    }
    #expect(got.firmwareVersion == "v_1_2___" + String(repeating: "x", count: 24))
    #expect(got.resetCause == "power_on_res")

    let fault = TelemetryMessage(
      nonce: 5,
      record: .fault(kind: "hard fault", detail: "a*b\r\nc " + String(repeating: "d", count: 400)))
    let line = TelemetryEncoder.encode(fault)
    #expect(line.count == 256)
    let back = try TelemetryDecoder.decodeRecord(line: line).get()
    guard case .fault(let kind, let detail) = back.record else {
      Issue.record("expected fault, got \(back.record)")
      return
    }
    #expect(kind == "hard_fault")
    #expect(detail.hasPrefix("a_b__c ddd"))
  }

  @Test("the longest possible identity still fits one 256-byte line, flags cut to the room left")
  func longestIdentity() throws {
    let long = String(repeating: "f", count: 300)
    let identity = Identity(
      firmwareVersion: long, imageHash: String(repeating: "a", count: 300), modelCRC: 1,
      arenaSize: Int(UInt32.max), arenaUsed: Int(UInt32.max), staticRAM: Int(UInt32.max),
      cpuHz: Int(UInt32.max), buildFlags: [long], resetCause: long)
    let line = TelemetryEncoder.encode(TelemetryMessage(nonce: 9, record: .hello(identity)))
    #expect(line.count == 256)
    let decoded = try TelemetryDecoder.decodeRecord(line: line).get()
    guard case .hello(let got) = decoded.record else {
      Issue.record("expected hello, got \(decoded.record)")
      return
    }
    #expect(got.firmwareVersion.count == 32)
    #expect(got.imageHash.count == 64)
    #expect(got.resetCause.count == 12)
    #expect(got.buildFlags == [String(repeating: "f", count: 8)])
  }

  @Test("negative numbers are written as 0, like the agent's unsigned fields")
  func negativeClamp() throws {
    let summary = Summary(frames: -3, errors: 2, maxCycles: 7, stackHighWater: -1)
    let line = TelemetryEncoder.encode(TelemetryMessage(nonce: 2, record: .summary(summary)))
    #expect(S.text(line).hasPrefix("~T1 sum 00000002 frames=0 errors=2 max_cyc=7 stk=0 *"))
  }

  // MARK: - Damage

  @Test("flipping any byte after the version gives badChecksum")
  func everyFlipIsCaught() {
    let line = TelemetryEncoder.encode(TelemetryMessage(nonce: S.nonce, record: .frame(S.frame)))
    let body = line.count - 12
    for position in 4..<body {
      var damaged = line
      damaged[position] ^= 0x01
      #expect(
        TelemetryDecoder.decodeRecord(line: damaged) == .failure(.badChecksum),
        "flip at \(position)")
    }
    var checksum = line
    checksum[body + 9] = checksum[body + 9] == UInt8(ascii: "0") ? 0x31 : 0x30
    #expect(TelemetryDecoder.decodeRecord(line: checksum) == .failure(.badChecksum))
  }

  @Test(
    "a record missing a required key is malformed",
    arguments: [
      (
        "~T1 frame 0123ABCD seq=7 crc=A1B2C3D4 len=9216 count=2 in=5 out=3 cyc=1,2,3,4 stk=1 heap=0",
        "st"
      ),
      (
        "~T1 frame 0123ABCD crc=A1B2C3D4 len=9216 count=2 in=5 out=3 cyc=1,2,3,4 stk=1 heap=0 st=ok",
        "seq"
      ),
      (
        "~T1 frame 0123ABCD seq=7 crc=A1B2C3D4 len=9216 count=2 in=5 out=3 stk=1 heap=0 st=ok",
        "cyc"
      ),
      (
        "~T1 boot 00000000 fw=a img=00 model=00000000 arena=1 static=1 cpu=1 flags= reset=por",
        "arena_used"
      ),
      (
        "~T1 hello 00000001 fw=a img=00 model=00000000 arena=1 arena_used=1 static=1 cpu=1 flags=",
        "reset"
      ),
      ("~T1 sum 00000001 frames=1 errors=0 stk=1", "max_cyc"),
      ("~T1 ack 00000001", "cmd"),
      ("~T1 err 00000001 code=x", "detail"),
      ("~T1 fault 00000001 detail=no kind here", "kind"),
    ])
  func missingKey(_ body: String, _ key: String) {
    let result = TelemetryDecoder.decodeRecord(line: S.line(body))
    guard case .failure(.malformed(let reason)) = result else {
      Issue.record("expected malformed, got \(result)")
      return
    }
    #expect(reason.contains("'\(key)'"), "\(reason)")
  }

  @Test(
    "bad values and bad structure are malformed",
    arguments: [
      "~T1 frame 0123ABCD seq=x crc=A1B2C3D4 len=1 count=2 in=5 out=3 cyc=1,2,3,4 stk=1 heap=0 st=ok",
      "~T1 frame 0123ABCD seq=1 crc=A1B2C3 len=1 count=2 in=5 out=3 cyc=1,2,3,4 stk=1 heap=0 st=ok",
      "~T1 frame 0123ABCD seq=1 crc=A1B2C3D4 len=4294967296 count=2 in=5 out=3 cyc=1,2,3,4 stk=1 heap=0 st=ok",
      "~T1 frame 0123ABCD seq=1 crc=A1B2C3D4 len=1 count=-2 in=5 out=3 cyc=1,2,3,4 stk=1 heap=0 st=ok",
      "~T1 frame 0123ABCD seq=1 crc=A1B2C3D4 len=1 count=2 in=5 out=3 cyc=1,2,3 stk=1 heap=0 st=ok",
      "~T1 frame 0123ABCD seq=1 crc=A1B2C3D4 len=1 count=2 in=5 out=3 cyc=1,2,3,4,5 stk=1 heap=0 st=ok",
      "~T1 frame 0123ABCD seq=1  crc=A1B2C3D4 len=1 count=2 in=5 out=3 cyc=1,2,3,4 stk=1 heap=0 st=ok",
      "~T1 frame 0123ABCD seq=1 crc=A1B2C3D4 len=1 count=2 in=5 out=3 cyc=1,2,3,4 stk=1 heap=0 st=ok junk",
      "~T1 frame 0123abcd seq=1 crc=A1B2C3D4 len=1 count=2 in=5 out=3 cyc=1,2,3,4 stk=1 heap=0 st=ok",
      "~T1 frame 00000000 seq=1 crc=A1B2C3D4 len=1 count=2 in=5 out=3 cyc=1,2,3,4 stk=1 heap=0 st=ok",
      "~T1 ack 0123ABC cmd=start",
      "~T1 reboot 0123ABCD why=wdog",
      "~T1 hello 00000001 fw=a img=xyz model=00000000 arena=1 arena_used=1 static=1 cpu=1 flags= reset=por",
      "~T1 Frame 0123ABCD",
      "~T1",
    ])
  func malformed(_ body: String) {
    let result = TelemetryDecoder.decodeRecord(line: S.line(body))
    guard case .failure(.malformed) = result else {
      Issue.record("expected malformed for \(body), got \(result)")
      return
    }
  }

  @Test("a line without the checksum field, or with a lowercase one, is malformed")
  func missingChecksum() {
    let body = "~T1 ack 00000001 cmd=start"
    let lower = body + " *" + S.hex8(CRC32.checksum(body)).lowercased()
    for line in [body, body + " *", lower, body + " *1234567", body + "*12345678"] {
      let result = TelemetryDecoder.decodeRecord(line: Array(line.utf8))
      guard case .failure(.malformed) = result else {
        Issue.record("expected malformed for \(line), got \(result)")
        continue
      }
    }
  }

  @Test("unknown keys are ignored, in any order, for forward compatibility")
  func unknownKeys() throws {
    let body =
      "~T1 frame 0123ABCD st=ok fifo_len=9216 seq=7 crc=a1b2c3d4 len=9216 count=2 in=5 out=3 "
      + "cyc=1000,2000,18000000,500 a_rather_long_new_key=1 stk=4096 heap=0"
    let decoded = try TelemetryDecoder.decodeRecord(line: S.line(body)).get()
    #expect(decoded == TelemetryMessage(nonce: S.nonce, record: .frame(S.frame)))
  }

  @Test("frame records decode the same in the agent's field order and in any other order")
  func fastAndGeneralPathsAgree() throws {
    var random = SeededGenerator(seed: 41)
    for _ in 0..<2000 {
      func number() -> UInt32 {
        Bool.random(using: &random)
          ? .random(in: 0...UInt32.max, using: &random) : .random(in: 0...99, using: &random)
      }
      let frame = FrameReport(
        sequence: number(), frameCRC: number(), length: Int(number()), count: Int(number()),
        inCount: Int(number()), outCount: Int(number()),
        cycles: StageCycles(
          capture: number(), preprocess: number(), invoke: number(), postprocess: number()),
        stackHighWater: Int(number()), heapHighWater: Int(number()),
        status: ["ok", "o", "okay", "", "cap_timeout"].randomElement(using: &random)!)
      let message = TelemetryMessage(nonce: number() | 1, record: .frame(frame))
      let line = TelemetryEncoder.encode(message)
      #expect(try TelemetryDecoder.decodeRecord(line: line).get() == message)
      // Rotate the fields so the general path reads them.
      let text = S.text(Array(line.dropLast(12)))
      var fields = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
      let head = fields.prefix(3)
      fields.removeFirst(3)
      fields.append(fields.removeFirst())
      let rotated = S.line((head + fields).joined(separator: " "))
      #expect(try TelemetryDecoder.decodeRecord(line: rotated).get() == message)
    }
  }

  @Test("a detail keeps its spaces and runs to the checksum field")
  func detailSpaces() throws {
    let decoded = try TelemetryDecoder.decodeRecord(
      line: S.line("~T1 err 0000000A code=bad_command detail=bad checksum  on x=1 y")
    ).get()
    #expect(decoded.record == .error(code: "bad_command", detail: "bad checksum  on x=1 y"))
  }

  @Test("a record longer than 256 bytes is tooLong even with a correct checksum")
  func overlong() {
    let body = "~T1 ack 00000001 cmd=start extra=" + String(repeating: "x", count: 230)
    #expect(TelemetryDecoder.decodeRecord(line: S.line(body)) == .failure(.tooLong))
    let fits = "~T1 ack 00000001 cmd=start extra=" + String(repeating: "x", count: 244 - 33)
    #expect(
      TelemetryDecoder.decodeRecord(line: S.line(fits))
        == .success(
          TelemetryMessage(nonce: 1, record: .ack(command: "start"))))
  }

  @Test("another protocol version is unsupportedVersion, whatever follows")
  func otherVersion() {
    #expect(
      TelemetryDecoder.decodeRecord(line: S.line("~T2 ack 00000001 cmd=start"))
        == .failure(
          .unsupportedVersion(2)))
    #expect(
      TelemetryDecoder.decodeRecord(line: Array("~T12 whatever".utf8))
        == .failure(
          .unsupportedVersion(12)))
  }

  @Test("damage reasons read as sentences")
  func damageText() {
    #expect(TelemetryDamage.badChecksum.description == "checksum mismatch")
    #expect(TelemetryDamage.unsupportedVersion(2).description.contains("version 2"))
    #expect(TelemetryDamage.malformed("x").description == "malformed: x")
  }

  // MARK: - Commands

  @Test(
    "every command survives encode and decode",
    arguments: [
      TelemetryCommand.hello(nonce: 0xDEAD_BEEF), .start(nonce: 1, test: "corridor-day.v2_a"),
      .start(nonce: 2, test: ""), .stop(nonce: 0xFFFF_FFFF), .stats(nonce: 0x10),
    ])
  func commandRoundTrip(_ command: TelemetryCommand) {
    let line = TelemetryEncoder.encode(command)
    #expect(line.suffix(2) == [13, 10])
    #expect(TelemetryEncoder.decodeCommand(line: line) == command)
  }

  @Test("command lines are written exactly as the format says")
  func commandBytes() {
    let start = "~H1 start 0123ABCD test=corridor-day"
    #expect(
      S.text(TelemetryEncoder.encode(.start(nonce: S.nonce, test: "corridor-day")))
        == start + " *\(S.hex8(CRC32.checksum(start)))\r\n")
    let hello = "~H1 hello 0123ABCD"
    #expect(
      S.text(TelemetryEncoder.encode(.hello(nonce: S.nonce)))
        == hello + " *\(S.hex8(CRC32.checksum(hello)))\r\n")
  }

  @Test("test names are sanitised to [A-Za-z0-9._-] and cut to 48 characters")
  func testNames() {
    #expect(TelemetryEncoder.commandTestName("corridor day/é*1") == "corridor_day___1")
    #expect(TelemetryEncoder.commandTestName(String(repeating: "a", count: 60)).count == 48)
    let line = TelemetryEncoder.encode(.start(nonce: 3, test: "a b"))
    #expect(TelemetryEncoder.decodeCommand(line: line) == .start(nonce: 3, test: "a_b"))
  }

  @Test(
    "the host decoder rejects what the agent rejects",
    arguments: [
      "~H1 reboot 00000001", "~H1 hello 00000000", "~H1 hello 0000000a", "~H2 hello 00000001",
      "~H1 start 00000001 test=a/b", "~H1 start 00000001 test=" + String(repeating: "a", count: 49),
      "~H1 stop 00000001  x=1", "~H1 stop 00000001 x", "~T1 hello 00000001",
    ])
  func badCommands(_ body: String) {
    #expect(TelemetryEncoder.decodeCommand(line: S.line(body)) == nil)
  }

  @Test("a command with a damaged checksum is rejected")
  func commandChecksum() {
    var line = TelemetryEncoder.encode(.stop(nonce: 77))
    line[6] ^= 0x20
    #expect(TelemetryEncoder.decodeCommand(line: line) == nil)
  }

  // MARK: - Format constants

  @Test("packed key constants match their words")
  func keyConstants() {
    typealias K = TelemetryFormat.Key
    let table: [(String, UInt64)] = [
      ("boot", K.boot), ("hello", K.hello), ("frame", K.frame), ("sum", K.sum), ("ack", K.ack),
      ("err", K.err), ("fault", K.fault), ("start", K.start), ("stop", K.stop),
      ("stats", K.stats), ("fw", K.fw), ("img", K.img), ("model", K.model), ("arena", K.arena),
      ("arena_used", K.arenaUsed), ("static", K.staticRAM), ("cpu", K.cpu),
      ("flags", K.flags), ("reset", K.reset), ("seq", K.seq), ("crc", K.crc), ("len", K.len),
      ("count", K.count), ("in", K.inCount), ("out", K.outCount), ("cyc", K.cyc),
      ("stk", K.stk), ("heap", K.heap), ("st", K.st), ("frames", K.frames),
      ("errors", K.errors), ("max_cyc", K.maxCyc), ("code", K.code), ("detail", K.detail),
      ("kind", K.kind), ("cmd", K.cmd), ("test", K.test), ("arena_usex", K.unknown),
    ]
    for (word, constant) in table {
      let packed = Array(word.utf8).withUnsafeBufferPointer {
        TelemetryFormat.pack($0, 0, $0.count)
      }
      #expect(packed == constant, "\(word)")
    }
    #expect(Set(table.map(\.1)).count == table.count)
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Writes telemetry v1 lines: host commands for the DUT, and DUT records byte-identical to what
/// the C agent (`Sources/RigAgent`) emits for the same values, for tests and benchmarks.
///
/// Values are made safe the way the agent does it: integers are clamped to 0…4294967295 (the
/// agent's uint32), string bytes that could break the line (controls, non-ASCII, `*`, and spaces
/// outside `detail`) become `_`, and strings are cut to the caps in `rig_agent.h`.
public enum TelemetryEncoder {
  private typealias F = TelemetryFormat

  /// The host → DUT line for a command, `\r\n` included.
  public static func encode(_ command: TelemetryCommand) -> [UInt8] {
    var line = LineWriter()
    line.literal("~H1 ")
    switch command {
    case .hello(let nonce):
      line.literal("hello ")
      line.hex8(nonce)
    case .start(let nonce, let test):
      line.literal("start ")
      line.hex8(nonce)
      let name = commandTestName(test)
      if !name.isEmpty {
        line.literal(" test=")
        line.literal(name)
      }
    case .stop(let nonce):
      line.literal("stop ")
      line.hex8(nonce)
    case .stats(let nonce):
      line.literal("stats ")
      line.hex8(nonce)
    }
    return line.finished()
  }

  /// The DUT record line for a message, `\r\n` included.
  public static func encode(_ message: TelemetryMessage) -> [UInt8] {
    var line = LineWriter()
    switch message.record {
    case .boot(let identity):
      line.begin("boot", message.nonce)
      line.identity(identity)
    case .hello(let identity):
      line.begin("hello", message.nonce)
      line.identity(identity)
    case .frame(let frame):
      line.begin("frame", message.nonce)
      line.decimalField("seq=", Int(frame.sequence))
      line.hex8Field("crc=", frame.frameCRC)
      line.decimalField("len=", frame.length)
      line.decimalField("count=", frame.count)
      line.decimalField("in=", frame.inCount)
      line.decimalField("out=", frame.outCount)
      line.decimalField("cyc=", Int(frame.cycles.capture))
      line.byte(F.comma)
      line.decimal(Int(frame.cycles.preprocess))
      line.byte(F.comma)
      line.decimal(Int(frame.cycles.invoke))
      line.byte(F.comma)
      line.decimal(Int(frame.cycles.postprocess))
      line.decimalField("stk=", frame.stackHighWater)
      line.decimalField("heap=", frame.heapHighWater)
      line.stringField("st=", frame.status, max: F.maxWord)
    case .summary(let summary):
      line.begin("sum", message.nonce)
      line.decimalField("frames=", summary.frames)
      line.decimalField("errors=", summary.errors)
      line.decimalField("max_cyc=", Int(summary.maxCycles))
      line.decimalField("stk=", summary.stackHighWater)
    case .ack(let command):
      line.begin("ack", message.nonce)
      line.stringField("cmd=", command, max: F.maxWord)
    case .error(let code, let detail):
      line.begin("err", message.nonce)
      line.problem("code=", code, detail)
    case .fault(let kind, let detail):
      line.begin("fault", message.nonce)
      line.problem("kind=", kind, detail)
    }
    return line.finished()
  }

  /// Parses a host command line (`\r\n` optional) as the agent does; nil for a line the agent
  /// would reject or ignore. For the simulator and tests.
  public static func decodeCommand(line: some Collection<UInt8>) -> TelemetryCommand? {
    let parsed = line.withContiguousStorageIfAvailable { TelemetryParser.command($0) }
    if let parsed { return parsed }
    return Array(line).withUnsafeBufferPointer { TelemetryParser.command($0) }
  }

  /// The test name as a `start` command carries it: characters outside `[A-Za-z0-9._-]` become
  /// `_`, cut to 48. The DUT sees this name, so fault plans keyed by name should use it too.
  public static func commandTestName(_ name: String) -> String {
    var bytes: [UInt8] = []
    for scalar in name.unicodeScalars.prefix(F.maxTestName) {
      let byte = scalar.isASCII ? UInt8(scalar.value) : F.underscore
      bytes.append(F.isTestNameByte(byte) ? byte : F.underscore)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// A line under construction, written the way `rig_agent.c` writes it.
private struct LineWriter {
  private typealias F = TelemetryFormat
  var bytes: [UInt8] = []

  init() { bytes.reserveCapacity(F.maxRecordLine) }

  /// Like the agent's `put_char`: the caps keep records inside the limit, this guards anyway.
  mutating func byte(_ value: UInt8) {
    if bytes.count < F.contentLimit { bytes.append(value) }
  }

  mutating func literal(_ text: StaticString) {
    text.withUTF8Buffer { for value in $0 { byte(value) } }
  }

  mutating func literal(_ text: String) {
    for value in text.utf8 { byte(value) }
  }

  mutating func hex8(_ value: UInt32) {
    for shift in stride(from: 28, through: 0, by: -4) {
      byte(F.upperHexDigit((value >> UInt32(shift)) & 0xF))
    }
  }

  mutating func decimal(_ value: Int) {
    var digits: [UInt8] = []
    var rest = UInt32(clamping: value)
    repeat {
      digits.append(UInt8(truncatingIfNeeded: rest % 10) &+ 0x30)
      rest /= 10
    } while rest != 0
    for digit in digits.reversed() { byte(digit) }
  }

  /// Up to `max` bytes of `text`, unsafe bytes (and spaces unless allowed) replaced by `_`.
  mutating func value(_ text: String, max: Int, allowSpace: Bool = false) {
    for value in text.utf8.prefix(Swift.max(0, max)) {
      let unsafe = F.isUnsafe(value) || (value == F.space && !allowSpace)
      byte(unsafe ? F.underscore : value)
    }
  }

  mutating func begin(_ type: StaticString, _ nonce: UInt32) {
    literal("~T1 ")
    literal(type)
    byte(F.space)
    hex8(nonce)
  }

  mutating func decimalField(_ key: StaticString, _ number: Int) {
    byte(F.space)
    literal(key)
    decimal(number)
  }

  mutating func hex8Field(_ key: StaticString, _ number: UInt32) {
    byte(F.space)
    literal(key)
    hex8(number)
  }

  mutating func stringField(_ key: StaticString, _ text: String, max: Int) {
    byte(F.space)
    literal(key)
    value(text, max: max)
  }

  mutating func identity(_ identity: Identity) {
    stringField("fw=", identity.firmwareVersion, max: F.maxFirmwareVersion)
    stringField("img=", identity.imageHash, max: F.maxImageHash)
    hex8Field("model=", identity.modelCRC)
    decimalField("arena=", identity.arenaSize)
    decimalField("arena_used=", identity.arenaUsed)
    decimalField("static=", identity.staticRAM)
    decimalField("cpu=", identity.cpuHz)
    // As the agent: flags gets the room " flags=" and " reset=<cause>" leave.
    let resetLength = min(identity.resetCause.utf8.count, F.maxResetCause)
    let labels = " flags=".utf8.count + " reset=".utf8.count
    let room = F.contentLimit - bytes.count - labels - resetLength
    let flags = identity.buildFlags.joined(separator: ",")
    stringField("flags=", flags, max: min(room, F.maxBuildFlags))
    stringField("reset=", identity.resetCause, max: F.maxResetCause)
  }

  mutating func problem(_ key: StaticString, _ word: String, _ detail: String) {
    stringField(key, word, max: F.maxWord)
    literal(" detail=")
    value(detail, max: F.contentLimit - bytes.count, allowSpace: true)
  }

  /// Appends ` *<crc>\r\n` over everything written so far.
  mutating func finished() -> [UInt8] {
    let crc = CRC32.checksum(bytes)
    bytes.append(F.space)
    bytes.append(F.star)
    for shift in stride(from: 28, through: 0, by: -4) {
      bytes.append(F.upperHexDigit((crc >> UInt32(shift)) & 0xF))
    }
    bytes.append(F.cr)
    bytes.append(F.lf)
    return bytes
  }
}

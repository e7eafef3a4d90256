// SPDX-License-Identifier: Apache-2.0

/// Receives the fields of one record line as `TelemetryParser.scan` finds them, keeps the ones
/// its record type knows (unknown keys are ignored for forward compatibility) and builds the
/// record, reporting missing keys.
protocol TelemetryFieldSink {
  /// The key whose value runs to the end of the line, spaces included (`detail`), or 0.
  var restOfLineKey: UInt64 { get }
  mutating func take(
    _ key: UInt64, _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
  ) throws(TelemetryDamage)
}

extension TelemetryFieldSink {
  var restOfLineKey: UInt64 { 0 }
}

private typealias P = TelemetryParser
private typealias K = TelemetryFormat.Key

private func missing(_ type: String, _ key: String) -> TelemetryDamage {
  .malformed("\(type) record lacks '\(key)'")
}

/// `boot` and `hello`.
struct IdentityFields: TelemetryFieldSink {
  var firmwareVersion: String?
  var imageHash: String?
  var modelCRC: UInt32?
  var arenaSize: Int?
  var arenaUsed: Int?
  var staticRAM: Int?
  var cpuHz: Int?
  var buildFlags: [String]?
  var resetCause: String?

  mutating func take(_ key: UInt64, _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    throws(TelemetryDamage)
  {
    switch key {
    case K.fw: firmwareVersion = P.text(p, start, end)
    case K.img:
      for i in start..<end where TelemetryFormat.hexValue(p[i]) == nil {
        throw .malformed("'img' is not hex digits")
      }
      imageHash = P.text(p, start, end)
    case K.model: modelCRC = try P.hex8(p, start, end, "model")
    case K.arena: arenaSize = try P.int(p, start, end, "arena")
    case K.arenaUsed: arenaUsed = try P.int(p, start, end, "arena_used")
    case K.staticRAM: staticRAM = try P.int(p, start, end, "static")
    case K.cpu: cpuHz = try P.int(p, start, end, "cpu")
    case K.flags:
      var flags: [String] = []
      var pieceStart = start
      for i in start...end where i == end || p[i] == TelemetryFormat.comma {
        if i > pieceStart { flags.append(P.text(p, pieceStart, i)) }
        pieceStart = i + 1
      }
      buildFlags = flags
    case K.reset: resetCause = P.text(p, start, end)
    default: break
    }
  }

  func identity(of type: String) throws(TelemetryDamage) -> Identity {
    guard let firmwareVersion else { throw missing(type, "fw") }
    guard let imageHash else { throw missing(type, "img") }
    guard let modelCRC else { throw missing(type, "model") }
    guard let arenaSize else { throw missing(type, "arena") }
    guard let arenaUsed else { throw missing(type, "arena_used") }
    guard let staticRAM else { throw missing(type, "static") }
    guard let cpuHz else { throw missing(type, "cpu") }
    guard let buildFlags else { throw missing(type, "flags") }
    guard let resetCause else { throw missing(type, "reset") }
    return Identity(
      firmwareVersion: firmwareVersion, imageHash: imageHash, modelCRC: modelCRC,
      arenaSize: arenaSize, arenaUsed: arenaUsed, staticRAM: staticRAM, cpuHz: cpuHz,
      buildFlags: buildFlags, resetCause: resetCause)
  }
}

/// `frame`: the hot path, one per processed frame.
struct FrameFields: TelemetryFieldSink {
  var sequence: UInt32?
  var frameCRC: UInt32?
  var length: Int?
  var count: Int?
  var inCount: Int?
  var outCount: Int?
  var cycles: StageCycles?
  var stackHighWater: Int?
  var heapHighWater: Int?
  var status: String?

  mutating func take(_ key: UInt64, _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    throws(TelemetryDamage)
  {
    switch key {
    case K.seq: sequence = try P.uint32(p, start, end, "seq")
    case K.crc: frameCRC = try P.hex8(p, start, end, "crc")
    case K.len: length = try P.int(p, start, end, "len")
    case K.count: count = try P.int(p, start, end, "count")
    case K.inCount: inCount = try P.int(p, start, end, "in")
    case K.outCount: outCount = try P.int(p, start, end, "out")
    case K.cyc: cycles = try Self.stageCycles(p, start, end)
    case K.stk: stackHighWater = try P.int(p, start, end, "stk")
    case K.heap: heapHighWater = try P.int(p, start, end, "heap")
    case K.st: status = P.text(p, start, end)
    default: break
    }
  }

  /// `<capture>,<preprocess>,<invoke>,<post>`.
  private static func stageCycles(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    throws(TelemetryDamage) -> StageCycles
  {
    var values: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    var pieceStart = start
    var index = 0
    for i in start...end where i == end || p[i] == TelemetryFormat.comma {
      guard index < 4 else { throw .malformed("'cyc' has more than 4 stages") }
      let value = try P.uint32(p, pieceStart, i, "cyc")
      switch index {
      case 0: values.0 = value
      case 1: values.1 = value
      case 2: values.2 = value
      default: values.3 = value
      }
      index += 1
      pieceStart = i + 1
    }
    guard index == 4 else {
      throw .malformed("'cyc' needs 4 stages: capture,preprocess,invoke,post")
    }
    return StageCycles(
      capture: values.0, preprocess: values.1, invoke: values.2, postprocess: values.3)
  }

  func report() throws(TelemetryDamage) -> FrameReport {
    guard let sequence else { throw missing("frame", "seq") }
    guard let frameCRC else { throw missing("frame", "crc") }
    guard let length else { throw missing("frame", "len") }
    guard let count else { throw missing("frame", "count") }
    guard let inCount else { throw missing("frame", "in") }
    guard let outCount else { throw missing("frame", "out") }
    guard let cycles else { throw missing("frame", "cyc") }
    guard let stackHighWater else { throw missing("frame", "stk") }
    guard let heapHighWater else { throw missing("frame", "heap") }
    guard let status else { throw missing("frame", "st") }
    return FrameReport(
      sequence: sequence, frameCRC: frameCRC, length: length, count: count, inCount: inCount,
      outCount: outCount, cycles: cycles, stackHighWater: stackHighWater,
      heapHighWater: heapHighWater, status: status)
  }
}

/// `sum`.
struct SummaryFields: TelemetryFieldSink {
  var frames: Int?
  var errors: Int?
  var maxCycles: UInt32?
  var stackHighWater: Int?

  mutating func take(_ key: UInt64, _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    throws(TelemetryDamage)
  {
    switch key {
    case K.frames: frames = try P.int(p, start, end, "frames")
    case K.errors: errors = try P.int(p, start, end, "errors")
    case K.maxCyc: maxCycles = try P.uint32(p, start, end, "max_cyc")
    case K.stk: stackHighWater = try P.int(p, start, end, "stk")
    default: break
    }
  }

  func summary() throws(TelemetryDamage) -> Summary {
    guard let frames else { throw missing("sum", "frames") }
    guard let errors else { throw missing("sum", "errors") }
    guard let maxCycles else { throw missing("sum", "max_cyc") }
    guard let stackHighWater else { throw missing("sum", "stk") }
    return Summary(
      frames: frames, errors: errors, maxCycles: maxCycles, stackHighWater: stackHighWater)
  }
}

/// `ack`.
struct AckFields: TelemetryFieldSink {
  var command: String?

  mutating func take(_ key: UInt64, _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    throws(TelemetryDamage)
  {
    if key == K.cmd { command = P.text(p, start, end) }
  }
}

/// `err` (`code=`) and `fault` (`kind=`): one word, then `detail=` to the end of the line.
struct ProblemFields: TelemetryFieldSink {
  let type: String
  let wordKey: UInt64
  let wordName: String
  var word: String?
  var detail: String?

  init(type: String, wordKey: UInt64, wordName: String) {
    self.type = type
    self.wordKey = wordKey
    self.wordName = wordName
  }

  var restOfLineKey: UInt64 { K.detail }

  mutating func take(_ key: UInt64, _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    throws(TelemetryDamage)
  {
    if key == wordKey {
      word = P.text(p, start, end)
    } else if key == K.detail {
      detail = P.text(p, start, end)
    }
  }

  func values() throws(TelemetryDamage) -> (String, String) {
    guard let word else { throw missing(type, wordName) }
    guard let detail else { throw missing(type, "detail") }
    return (word, detail)
  }
}

/// Host command fields: `test=` is the only one v1 knows.
struct CommandFields: TelemetryFieldSink {
  var test = ""
  /// A test name the agent would reject: too long or with a byte outside [A-Za-z0-9._-].
  var invalid = false

  mutating func take(_ key: UInt64, _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    throws(TelemetryDamage)
  {
    guard key == K.test else { return }
    if end - start > TelemetryFormat.maxTestName { invalid = true }
    for i in start..<end where !TelemetryFormat.isTestNameByte(p[i]) { invalid = true }
    test = P.text(p, start, end)
  }
}

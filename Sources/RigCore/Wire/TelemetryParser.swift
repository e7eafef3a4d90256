// SPDX-License-Identifier: Apache-2.0

/// Byte-level parsing of one v1 record or command line: no String splitting and no Foundation,
/// because the decoder must keep up with a million frame records a second.
enum TelemetryParser {
  typealias Bytes = UnsafeBufferPointer<UInt8>
  typealias F = TelemetryFormat
  typealias K = TelemetryFormat.Key

  // MARK: - Records

  /// Parses a record line starting at its `~T` marker (a trailing CR LF or LF is allowed).
  static func record(_ p: Bytes) throws(TelemetryDamage) -> TelemetryMessage {
    let n = contentEnd(p)
    guard n <= F.maxRecordText else { throw .tooLong }
    guard n >= 2, p[0] == F.tilde, p[1] == UInt8(ascii: "T") else {
      throw .malformed("a record starts with ~T")
    }
    var at = 2
    var version = 0
    while at < n, at < 11, let digit = decimalDigit(p[at]) {
      version = version * 10 + digit
      at += 1
    }
    guard at > 2, at < n, p[at] == F.space else {
      throw .malformed("no protocol version and space after ~T")
    }
    guard version == F.version else { throw .unsupportedVersion(version) }

    let body = try checkedBody(p, n, from: at)
    at += 1
    let typeStart = at
    while at < body, p[at] != F.space { at += 1 }
    let type = F.pack(p, typeStart, at)
    let nonce = try recordNonce(p, &at, body)
    if nonce == 0 && type != K.boot {
      throw .malformed("nonce 00000000 is only valid in boot records")
    }

    let record: TelemetryRecord
    switch type {
    case K.boot:
      var fields = IdentityFields()
      try scan(p, from: at, to: body, into: &fields)
      record = .boot(try fields.identity(of: "boot"))
    case K.hello:
      var fields = IdentityFields()
      try scan(p, from: at, to: body, into: &fields)
      record = .hello(try fields.identity(of: "hello"))
    case K.frame:
      // Frame records come a million a second in the agent's field order: read those in one
      // pass; anything else (reordered, extra keys, damage) takes the general path.
      if let report = TelemetryFrameFastPath.report(p, from: at, to: body) {
        record = .frame(report)
      } else {
        var fields = FrameFields()
        try scan(p, from: at, to: body, into: &fields)
        record = .frame(try fields.report())
      }
    case K.sum:
      var fields = SummaryFields()
      try scan(p, from: at, to: body, into: &fields)
      record = .summary(try fields.summary())
    case K.ack:
      var fields = AckFields()
      try scan(p, from: at, to: body, into: &fields)
      guard let command = fields.command else { throw .malformed("ack record lacks 'cmd'") }
      record = .ack(command: command)
    case K.err:
      var fields = ProblemFields(type: "err", wordKey: K.code, wordName: "code")
      try scan(p, from: at, to: body, into: &fields)
      let (code, detail) = try fields.values()
      record = .error(code: code, detail: detail)
    case K.fault:
      var fields = ProblemFields(type: "fault", wordKey: K.kind, wordName: "kind")
      try scan(p, from: at, to: body, into: &fields)
      let (kind, detail) = try fields.values()
      record = .fault(kind: kind, detail: detail)
    default:
      throw .malformed("unknown record type '\(text(p, typeStart, min(at, typeStart + 16)))'")
    }
    return TelemetryMessage(nonce: nonce, record: record)
  }

  /// Where the line's text ends: before a trailing LF and a CR in front of it.
  @inline(__always)
  static func contentEnd(_ p: Bytes) -> Int {
    var n = p.count
    if n > 0 && p[n - 1] == F.lf { n -= 1 }
    if n > 0 && p[n - 1] == F.cr { n -= 1 }
    return n
  }

  /// Checks the ` *XXXXXXXX` field that ends a line of n bytes; returns where the checksummed
  /// text ends. `from` is the space after the version, so a line must hold more than that.
  @inline(__always)
  static func checkedBody(_ p: Bytes, _ n: Int, from: Int) throws(TelemetryDamage) -> Int {
    guard n >= from + 11, p[n - 10] == F.space, p[n - 9] == F.star,
      let sent = upperHex8(p, n - 8)
    else {
      throw .malformed("no checksum field ' *XXXXXXXX' (8 uppercase hex digits) at the end")
    }
    let body = n - 10
    var crc = CRC32.Running()
    crc.update(UnsafeRawBufferPointer(Bytes(rebasing: p[0..<body])))
    guard crc.value == sent else { throw .badChecksum }
    return body
  }

  /// Reads ` XXXXXXXX` at `at` (which points at the space) and moves past it.
  @inline(__always)
  static func recordNonce(_ p: Bytes, _ at: inout Int, _ body: Int) throws(TelemetryDamage)
    -> UInt32
  {
    guard at < body, p[at] == F.space, at + 9 <= body, let nonce = upperHex8(p, at + 1),
      at + 9 == body || p[at + 9] == F.space
    else {
      throw .malformed("the nonce after the record type must be 8 uppercase hex digits")
    }
    at += 9
    return nonce
  }

  // MARK: - Fields

  /// Walks ` key=value` fields from `at` to `end`, handing each to the sink. A sink may claim
  /// one key as running to the end of the line (`detail=`).
  @inline(__always)
  static func scan<Sink: TelemetryFieldSink>(
    _ p: Bytes, from: Int, to end: Int, into sink: inout Sink
  )
    throws(TelemetryDamage)
  {
    var at = from
    while at < end {
      guard p[at] == F.space else { throw .malformed("fields must be separated by one space") }
      at += 1
      let keyStart = at
      while at < end, F.isKeyByte(p[at]) { at += 1 }
      guard at > keyStart, at < end, p[at] == F.equals else {
        throw .malformed(
          "'\(text(p, keyStart, min(end, keyStart + 24)))' is not a key=value field")
      }
      let key = F.pack(p, keyStart, at)
      at += 1
      let valueStart = at
      if key == sink.restOfLineKey {
        at = end
      } else {
        while at < end, p[at] != F.space { at += 1 }
      }
      try sink.take(key, p, valueStart, at)
    }
  }

  @inline(__always)
  static func decimalDigit(_ byte: UInt8) -> Int? {
    byte >= 0x30 && byte <= 0x39 ? Int(byte &- 0x30) : nil
  }

  /// A decimal uint32 (the agent's integer type), 1 to 10 digits.
  @inline(__always)
  static func uint32(_ p: Bytes, _ start: Int, _ end: Int, _ name: StaticString)
    throws(TelemetryDamage) -> UInt32
  {
    guard end > start, end - start <= 10 else { throw badNumber(name) }
    var value: UInt64 = 0
    for i in start..<end {
      guard let digit = decimalDigit(p[i]) else { throw badNumber(name) }
      value = value &* 10 &+ UInt64(digit)
    }
    guard value <= UInt64(UInt32.max) else { throw badNumber(name) }
    return UInt32(truncatingIfNeeded: value)
  }

  @inline(__always)
  static func int(_ p: Bytes, _ start: Int, _ end: Int, _ name: StaticString)
    throws(TelemetryDamage) -> Int
  {
    Int(try uint32(p, start, end, name))
  }

  static func badNumber(_ name: StaticString) -> TelemetryDamage {
    .malformed("'\(name)' is not a decimal number from 0 to 4294967295")
  }

  /// Exactly 8 hex digits of either case (a field value).
  @inline(__always)
  static func hex8(_ p: Bytes, _ start: Int, _ end: Int, _ name: StaticString)
    throws(TelemetryDamage) -> UInt32
  {
    guard end - start == 8 else { throw .malformed("'\(name)' is not 8 hex digits") }
    var value: UInt32 = 0
    for i in start..<end {
      guard let digit = F.hexValue(p[i]) else { throw .malformed("'\(name)' is not 8 hex digits") }
      value = value << 4 | digit
    }
    return value
  }

  /// Exactly 8 uppercase hex digits at `start` (nonces and checksums), or nil.
  @inline(__always)
  static func upperHex8(_ p: Bytes, _ start: Int) -> UInt32? {
    guard start + 8 <= p.count else { return nil }
    var value: UInt32 = 0
    for i in start..<(start + 8) {
      guard let digit = F.upperHexValue(p[i]) else { return nil }
      value = value << 4 | digit
    }
    return value
  }

  @inline(__always)
  static func text(_ p: Bytes, _ start: Int, _ end: Int) -> String {
    String(decoding: Bytes(rebasing: p[start..<end]), as: UTF8.self)
  }

  // MARK: - Commands

  /// Parses a host command line, as the agent does; nil for anything the agent would reject.
  static func command(_ p: Bytes) -> TelemetryCommand? {
    let n = contentEnd(p)
    guard n <= F.maxCommandLine, n >= 4, p[0] == F.tilde, p[1] == UInt8(ascii: "H"),
      p[2] == UInt8(ascii: "1"), p[3] == F.space,
      let body = try? checkedBody(p, n, from: 3)
    else { return nil }
    var at = 4
    while at < body, p[at] != F.space { at += 1 }
    let verb = F.pack(p, 4, at)
    guard let nonce = try? recordNonce(p, &at, body), nonce != 0 else { return nil }
    var fields = CommandFields()
    guard (try? scan(p, from: at, to: body, into: &fields)) != nil, !fields.invalid else {
      return nil
    }
    switch verb {
    case K.hello: return .hello(nonce: nonce)
    case K.start: return .start(nonce: nonce, test: fields.test)
    case K.stop: return .stop(nonce: nonce)
    case K.stats: return .stats(nonce: nonce)
    default: return nil
    }
  }
}

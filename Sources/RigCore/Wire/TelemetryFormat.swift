// SPDX-License-Identifier: Apache-2.0

/// The fixed numbers and byte rules of telemetry protocol v1, shared by the encoder and the
/// parser. They match `Sources/RigAgent/include/rig_agent.h`; docs/telemetry.md explains them.
enum TelemetryFormat {
  static let version = 1
  /// Longest record line, CR LF included.
  static let maxRecordLine = 256
  /// Longest record text before the checksum field ` *XXXXXXXX` and CR LF.
  static let contentLimit = maxRecordLine - 12
  /// Longest record text a parser accepts: the content plus the checksum field.
  static let maxRecordText = contentLimit + 10
  static let maxFirmwareVersion = 32
  static let maxImageHash = 64
  static let maxBuildFlags = 64
  static let maxResetCause = 12
  /// Frame status, ack command, error code, fault kind.
  static let maxWord = 24
  static let maxTestName = 48
  /// The agent's command buffer: longer command lines are rejected.
  static let maxCommandLine = 96

  static let tilde = UInt8(ascii: "~")
  static let space = UInt8(ascii: " ")
  static let star = UInt8(ascii: "*")
  static let equals = UInt8(ascii: "=")
  static let comma = UInt8(ascii: ",")
  static let underscore = UInt8(ascii: "_")
  static let cr = UInt8(ascii: "\r")
  static let lf = UInt8(ascii: "\n")

  /// A byte that may not appear in a record value: it could end the line, split fields or fake
  /// the checksum field. Writers replace it with `_`.
  @inline(__always)
  static func isUnsafe(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte >= 0x7F || byte == star
  }

  @inline(__always)
  static func upperHexDigit(_ value: UInt32) -> UInt8 {
    value < 10 ? UInt8(truncatingIfNeeded: value) &+ 48 : UInt8(truncatingIfNeeded: value) &+ 55
  }

  /// The value of an uppercase hex digit, or nil.
  @inline(__always)
  static func upperHexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case 0x30...0x39: UInt32(byte &- 0x30)
    case 0x41...0x46: UInt32(byte &- 0x37)
    default: nil
    }
  }

  /// The value of a hex digit of either case, or nil.
  @inline(__always)
  static func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case 0x61...0x66: UInt32(byte &- 0x57)
    default: upperHexValue(byte)
    }
  }

  @inline(__always)
  static func isKeyByte(_ byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || byte == underscore
  }

  @inline(__always)
  static func isTestNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2E, 0x5F, 0x2D: true
    default: false
    }
  }

  /// A word of up to 8 bytes packed little-endian into an integer, so keys and record types
  /// compare as one integer instead of byte by byte. Longer words get `Key.unknown`, except
  /// `arena_used`, the one longer key v1 has.
  @inline(__always)
  static func pack(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
    let length = end - start
    if length > 8 {
      return isArenaUsed(bytes, start, end) ? Key.arenaUsed : Key.unknown
    }
    var value: UInt64 = 0
    var i = end
    while i > start {
      i -= 1
      value = value << 8 | UInt64(bytes[i])
    }
    return value
  }

  private static func isArenaUsed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    -> Bool
  {
    guard end - start == 10 else { return false }
    var i = 0
    for expected in "arena_used".utf8 {
      if bytes[start + i] != expected { return false }
      i += 1
    }
    return true
  }

  /// Record types, command verbs and field keys, packed by `pack` (checked by the unit tests).
  enum Key {
    /// No packed word of key bytes can have these values: their bytes are outside [a-z_].
    static let unknown: UInt64 = 0xFFFF_FFFF_FFFF_FF00
    static let arenaUsed: UInt64 = 0xFFFF_FFFF_FFFF_FF01

    static let boot: UInt64 = 0x746f_6f62
    static let hello: UInt64 = 0x6f_6c6c_6568
    static let frame: UInt64 = 0x65_6d61_7266
    static let sum: UInt64 = 0x6d_7573
    static let ack: UInt64 = 0x6b_6361
    static let err: UInt64 = 0x72_7265
    static let fault: UInt64 = 0x74_6c75_6166

    static let start: UInt64 = 0x74_7261_7473
    static let stop: UInt64 = 0x706f_7473
    static let stats: UInt64 = 0x73_7461_7473

    static let fw: UInt64 = 0x7766
    static let img: UInt64 = 0x67_6d69
    static let model: UInt64 = 0x6c_6564_6f6d
    static let arena: UInt64 = 0x61_6e65_7261
    static let staticRAM: UInt64 = 0x6369_7461_7473
    static let cpu: UInt64 = 0x75_7063
    static let flags: UInt64 = 0x73_6761_6c66
    static let reset: UInt64 = 0x74_6573_6572
    static let seq: UInt64 = 0x71_6573
    static let crc: UInt64 = 0x63_7263
    static let len: UInt64 = 0x6e_656c
    static let count: UInt64 = 0x74_6e75_6f63
    static let inCount: UInt64 = 0x6e69
    static let outCount: UInt64 = 0x74_756f
    static let cyc: UInt64 = 0x63_7963
    static let stk: UInt64 = 0x6b_7473
    static let heap: UInt64 = 0x7061_6568
    static let st: UInt64 = 0x7473
    static let frames: UInt64 = 0x7365_6d61_7266
    static let errors: UInt64 = 0x7372_6f72_7265
    static let maxCyc: UInt64 = 0x63_7963_5f78_616d
    static let code: UInt64 = 0x6564_6f63
    static let detail: UInt64 = 0x6c69_6174_6564
    static let kind: UInt64 = 0x646e_696b
    static let cmd: UInt64 = 0x64_6d63
    static let test: UInt64 = 0x7473_6574
  }
}

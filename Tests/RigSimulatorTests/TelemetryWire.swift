// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The telemetry line format as far as the tests need it: command lines to send and record
/// lines to read.
enum TelemetryWire {
  static func hello(nonce: UInt32) -> String { "~H1 hello " + String(nonce, radix: 16) }
  static func start(test: String) -> String { "~H1 start " + test }
  static func stop() -> String { "~H1 stop" }
  static func stats() -> String { "~H1 stats" }

  static func parse(_ bytes: [UInt8]) -> RecordReader.Record? {
    var text = String(decoding: bytes, as: UTF8.self)
    if text.hasSuffix("\r") { text.removeLast() }
    guard text.hasPrefix("~T1 "), let star = text.lastIndex(of: "*") else { return nil }
    let body = text[..<text.index(before: star)]
    let intact = UInt32(text[text.index(after: star)...], radix: 16) == CRC32.checksum(String(body))
    let words = body.split(separator: " ")
    guard words.count >= 3, let nonce = UInt32(words[1], radix: 16) else { return nil }
    var fields: [String: String] = [:]
    for word in words.dropFirst(3) {
      let parts = word.split(separator: "=", maxSplits: 1)
      if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
    }
    return .init(kind: String(words[2]), nonce: nonce, fields: fields, intact: intact)
  }
}

extension RecordReader.Record {
  var frameCRC: UInt32? { hex("crc") }
  var count: Int? { int("count") }
  var sequence: Int? { int("seq") }
  var status: String? { fields["st"] }
  var resetCause: String? { fields["reset"] }
  var inCount: Int? { int("in") }
  var outCount: Int? { int("out") }
  /// The four stage cycle counts, in record order.
  var cycles: [UInt32] {
    (fields["cyc"] ?? "").split(separator: ",").compactMap { UInt32($0) }
  }
}

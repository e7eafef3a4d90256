// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// Telemetry protocol v1 lines as far as the tests need them: host commands to send
/// (`~H1 <verb> <NONCE> [test=<name>] *<CRC>`) and records to read
/// (`~T1 <type> <NONCE> key=value … *<CRC>`), the CRC32 taken over the text before ` *`.
enum TelemetryWire {
  static func command(_ verb: String, nonce: UInt32, test: String? = nil) -> String {
    var body = "~H1 \(verb) \(hex8(nonce))"
    if let test { body += " test=\(test)" }
    return body + " *" + hex8(CRC32.checksum(body))
  }

  static func hex8(_ value: UInt32) -> String {
    String(format: "%08X", value)
  }

  static func parse(_ bytes: [UInt8]) -> RecordReader.Record? {
    var text = String(decoding: bytes, as: UTF8.self)
    if text.hasSuffix("\r") { text.removeLast() }
    guard text.hasPrefix("~T1 "), let marker = text.range(of: " *", options: .backwards) else {
      return nil
    }
    let body = String(text[..<marker.lowerBound])
    let checksum = UInt32(text[marker.upperBound...], radix: 16)
    let words = body.split(separator: " ")
    guard words.count >= 3, let nonce = UInt32(words[2], radix: 16) else { return nil }
    var fields: [String: String] = [:]
    for word in words.dropFirst(3) {
      let parts = word.split(separator: "=", maxSplits: 1)
      if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
    }
    return .init(
      kind: String(words[1]), nonce: nonce, fields: fields,
      intact: checksum == CRC32.checksum(body))
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

// SPDX-License-Identifier: Apache-2.0
import Foundation

/// `--json` output of the history commands: sorted keys, ISO 8601 dates, `nan`/`inf` as
/// strings, as in results.json.
enum HistoryJSON {
  static func render<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}

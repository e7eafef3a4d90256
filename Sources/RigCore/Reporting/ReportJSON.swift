// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The JSON conventions shared by `events.ndjson` and `results.json`, so one decoder reads both.
///
/// Dates are ISO 8601 UTC strings with milliseconds; non-finite numbers (a metric that could not
/// be computed) are the strings `"nan"`, `"inf"` and `"-inf"`, because JSON has no such numbers.
enum ReportJSON {
  static func encoder(pretty: Bool) -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting =
      pretty
      ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
      : [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(UTCTimestamp.iso8601(date))
    }
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
  }

  static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let container = try decoder.singleValueContainer()
      let text = try container.decode(String.self)
      guard let date = UTCTimestamp.parse(text) else {
        throw DecodingError.dataCorruptedError(
          in: container,
          debugDescription: "'\(text)' is not an ISO 8601 date such as 2026-11-25T20:40:05.123Z")
      }
      return date
    }
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
  }

  /// A short, one-line account of why decoding failed: which field, and what was wrong with it.
  static func describe(_ error: any Error) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      let parts = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
      let joined = parts.joined()
      return joined.hasPrefix(".") ? String(joined.dropFirst()) : joined
    }
    guard let error = error as? DecodingError else { return "\(error)" }
    switch error {
    case .keyNotFound(let key, let context):
      let at = path(context.codingPath + [key])
      return "missing field '\(at)'"
    case .typeMismatch(let type, let context):
      return "field '\(path(context.codingPath))' is not a \(type)"
    case .valueNotFound(let type, let context):
      return "field '\(path(context.codingPath))' is null, expected a \(type)"
    case .dataCorrupted(let context):
      if context.codingPath.isEmpty { return "not valid JSON" }
      return "field '\(path(context.codingPath))': \(context.debugDescription)"
    @unknown default:
      return "\(error)"
    }
  }
}

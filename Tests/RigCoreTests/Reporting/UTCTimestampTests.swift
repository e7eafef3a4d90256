// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("UTC timestamps in reports")
struct UTCTimestampTests {
  @Test("formats ISO 8601 with milliseconds, JUnit without zone, and a compact run-ID form")
  func formats() {
    #expect(UTCTimestamp.iso8601(ReportSamples.start) == "2026-11-25T20:40:05.123Z")
    #expect(UTCTimestamp.junit(ReportSamples.start) == "2026-11-25T20:40:05")
    #expect(UTCTimestamp.compact(ReportSamples.start) == "20261125-204005")
    #expect(UTCTimestamp.iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    #expect(UTCTimestamp.iso8601(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
    // 2024 is a leap year; 2100 is not.
    #expect(
      UTCTimestamp.iso8601(Date(timeIntervalSince1970: 1_709_164_800)) == "2024-02-29T00:00:00.000Z"
    )
    #expect(
      UTCTimestamp.iso8601(Date(timeIntervalSince1970: 4_107_542_400)) == "2100-03-01T00:00:00.000Z"
    )
    // 999.6 ms rounds up into the next second rather than printing 1000 ms.
    #expect(
      UTCTimestamp.iso8601(Date(timeIntervalSince1970: 59.9996)) == "1970-01-01T00:01:00.000Z")
  }

  @Test("agrees with Foundation's ISO 8601 formatter on many dates")
  func agreesWithFoundation() {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    formatter.timeZone = TimeZone(identifier: "UTC")
    var seconds: Int64 = -2_208_988_800  // 1900
    while seconds < 7_258_118_400 {  // 2200
      let date = Date(timeIntervalSince1970: Double(seconds) + 0.25)
      #expect(UTCTimestamp.iso8601(date) == formatter.string(from: date))
      seconds += 7_776_017
    }
  }

  @Test("parses what it writes, zones and any fraction; refuses anything else")
  func parse() {
    for date in [
      ReportSamples.start, ReportSamples.at(1234.567), Date(timeIntervalSince1970: -0.001),
    ] {
      #expect(UTCTimestamp.parse(UTCTimestamp.iso8601(date)) == date)
    }
    #expect(UTCTimestamp.parse("2026-11-25T21:40:05.123+01:00") == ReportSamples.start)
    #expect(
      UTCTimestamp.parse("2026-11-25T20:40:05Z") == Date(timeIntervalSince1970: 1_795_639_205))
    #expect(UTCTimestamp.parse("2026-11-25T20:40:05.1234567Z") == ReportSamples.start)
    for bad in [
      "", "2026-11-25", "2026-11-25T20:40:05", "2026-13-25T20:40:05Z", "2026-11-25T20:40:05.Z",
      "2026-11-25T20:40:05Zjunk",
    ] {
      #expect(UTCTimestamp.parse(bad) == nil, "\(bad)")
    }
  }
}

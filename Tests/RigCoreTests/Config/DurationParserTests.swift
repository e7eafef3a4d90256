// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite struct DurationParserTests {
  @Test(
    "reads every unit, fractions and compounds",
    arguments: [
      ("500ms", Duration.milliseconds(500)),
      ("2s", .seconds(2)),
      ("1.5s", .milliseconds(1500)),
      ("2m", .seconds(120)),
      ("1h", .seconds(3600)),
      ("250us", .microseconds(250)),
      ("250µs", .microseconds(250)),
      ("40ns", .nanoseconds(40)),
      ("0s", .zero),
      ("1m30s", .seconds(90)),
      ("1h2m3s4ms", .milliseconds(3_723_004)),
      (" 30s ", .seconds(30)),
      ("0.25ms", .microseconds(250)),
    ])
  func parses(text: String, expected: Duration) {
    #expect(DurationParser.parse(text) == expected)
  }

  @Test(
    "rejects text that is not a duration",
    arguments: [
      "", "s", "10", "-1s", "1.s", ".5s", "1x", "30s1m", "1s1s", "1.5.2s", "2 s", "2S", "1e3ms",
      "99999999999999999999s",
    ])
  func rejects(text: String) {
    #expect(DurationParser.parse(text) == nil)
  }

  @Test("formats in the largest exact unit and reads back the same")
  func formats() {
    let cases: [(Duration, String)] = [
      (.seconds(60), "1m"), (.milliseconds(1500), "1500ms"), (.zero, "0s"),
      (.seconds(7200), "2h"), (.microseconds(250), "250us"), (.nanoseconds(3), "3ns"),
    ]
    for (duration, text) in cases {
      #expect(DurationParser.format(duration) == text)
      #expect(DurationParser.parse(text) == duration)
    }
  }
}

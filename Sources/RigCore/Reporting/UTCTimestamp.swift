// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The date forms rig's reports use, computed by hand so they never depend on the host's locale,
/// calendar or time zone settings.
public enum UTCTimestamp {
  /// `2026-11-25T20:40:05.123Z`: ISO 8601, UTC, milliseconds (events.ndjson, results.json).
  public static func iso8601(_ date: Date) -> String {
    let (days, millisOfDay) = split(date)
    let (y, m, d) = civil(fromDays: days)
    let ms = millisOfDay % 1000
    let seconds = millisOfDay / 1000
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(seconds / 3600, 2)):"
      + "\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(ms, 3))Z"
  }

  /// `2026-11-25T20:40:05`: UTC without zone or fraction, the one form every JUnit schema accepts.
  public static func junit(_ date: Date) -> String {
    String(iso8601(date).prefix(19))
  }

  /// `20261125-204005`: UTC, sortable and safe in file names (run IDs).
  public static func compact(_ date: Date) -> String {
    let s = Array(iso8601(date))
    let digits = { (range: Range<Int>) in String(s[range]) }
    return digits(0..<4) + digits(5..<7) + digits(8..<10) + "-" + digits(11..<13)
      + digits(14..<16) + digits(17..<19)
  }

  /// Reads `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`; nil for anything else.
  public static func parse(_ text: String) -> Date? {
    let c = Array(text.utf8)
    func number(_ start: Int, _ count: Int) -> Int? {
      guard start + count <= c.count else { return nil }
      var value = 0
      for byte in c[start..<start + count] {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      return value
    }
    func byte(_ i: Int) -> UInt8? { i < c.count ? c[i] : nil }
    guard let y = number(0, 4), byte(4) == UInt8(ascii: "-"), let mo = number(5, 2),
      byte(7) == UInt8(ascii: "-"), let d = number(8, 2),
      byte(10) == UInt8(ascii: "T") || byte(10) == UInt8(ascii: "t"), let h = number(11, 2),
      byte(13) == UInt8(ascii: ":"), let mi = number(14, 2), byte(16) == UInt8(ascii: ":"),
      let s = number(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
    else { return nil }
    var i = 19
    var fraction = 0.0
    if byte(i) == UInt8(ascii: ".") {
      i += 1
      var scale = 0.1
      let start = i
      while let b = byte(i), b >= 0x30, b <= 0x39 {
        fraction += Double(b - 0x30) * scale
        scale /= 10
        i += 1
      }
      guard i > start else { return nil }
    }
    var offsetSeconds = 0
    switch byte(i) {
    case UInt8(ascii: "Z"), UInt8(ascii: "z"):
      i += 1
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      guard let oh = number(i + 1, 2), byte(i + 3) == UInt8(ascii: ":"), let om = number(i + 4, 2)
      else { return nil }
      offsetSeconds = (oh * 3600 + om * 60) * (byte(i) == UInt8(ascii: "+") ? 1 : -1)
      i += 6
    default:
      return nil
    }
    guard i == c.count else { return nil }
    let days = self.days(fromCivil: y, mo, d)
    // Whole milliseconds are kept exact so a date written and read back compares equal.
    let wholeSeconds = Int64(days) * 86_400 + Int64(h * 3600 + mi * 60 + s - offsetSeconds)
    let millis = wholeSeconds * 1000 + Int64((fraction * 1000).rounded())
    return Date(timeIntervalSince1970: Double(millis) / 1000)
  }

  /// Days since 1970-01-01 and milliseconds into that day, rounded to the nearest millisecond.
  private static func split(_ date: Date) -> (days: Int, millisOfDay: Int) {
    let interval = date.timeIntervalSince1970
    let millis = interval.isFinite ? Int64((interval * 1000).rounded()) : 0
    let perDay: Int64 = 86_400_000
    var days = millis / perDay
    var rest = millis % perDay
    if rest < 0 {
      rest += perDay
      days -= 1
    }
    return (Int(days), Int(rest))
  }

  // Howard Hinnant's days-from-civil algorithms: exact for the proleptic Gregorian calendar.
  private static func civil(fromDays z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }

  private static func days(fromCivil y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
  }
}

// SPDX-License-Identifier: Apache-2.0

/// One line from the DUT's console, as the telemetry decoder sorted it.
public enum ConsoleItem: Sendable, Equatable {
  /// A checksum-verified telemetry record.
  case record(TelemetryMessage, arrival: ContinuousClock.Instant)
  /// A line that is not a record (control characters kept as-is, line terminator removed).
  case log(String, arrival: ContinuousClock.Instant)
  /// A line that looked like a record (`~T<n> `) but was not accepted; the text is the line from
  /// its marker on.
  case damaged(String, reason: TelemetryDamage, arrival: ContinuousClock.Instant)
}

/// Splits the DUT's console into records, log lines and damaged records (format:
/// docs/telemetry.md). Incremental: a line split across chunks is kept until its end arrives,
/// and it is stamped with the arrival of the chunk that completed it.
///
/// A record must start a line, but a log line interrupted by a record (`booting...~T1 frame …`)
/// gives a log fragment and the record. Lines longer than `maxLineLength` bytes are cut: a cut
/// record is reported `tooLong` and the rest of its line dropped; a cut log line is reported as
/// log and the rest continues as the next line.
public struct TelemetryDecoder: Sendable {
  private typealias F = TelemetryFormat

  /// Longest line kept whole, terminator excluded.
  public let maxLineLength: Int
  /// The start of a line whose end has not arrived yet.
  private var partial: [UInt8] = []
  /// True while dropping the rest of a cut record line.
  private var skippingRest = false
  private var lastArrival: ContinuousClock.Instant?

  /// A decoder that cuts lines longer than `maxLineLength` bytes (at least 16).
  public init(maxLineLength: Int = 512) {
    self.maxLineLength = max(16, maxLineLength)
    partial.reserveCapacity(self.maxLineLength + 2)
  }

  /// Decodes the complete lines in `chunk` (and in the partial line before it), in order.
  public mutating func decode(_ chunk: SerialChunk, into sink: (ConsoleItem) -> Void) {
    let arrival = chunk.arrival
    lastArrival = arrival
    chunk.bytes.withUnsafeBufferPointer { buffer in
      let n = buffer.count
      var start = 0
      while start < n {
        let newline = Self.newline(in: buffer, from: start)
        let piece = UnsafeBufferPointer(rebasing: buffer[start..<newline])
        if newline == n {
          keep(piece, arrival, sink)
          return
        }
        if skippingRest {
          skippingRest = false
        } else if partial.isEmpty {
          line(piece, arrival, sink)
        } else {
          partial.append(contentsOf: piece)
          // Take the buffer out of self while its line is handled, then give it back emptied,
          // so the partial line costs no allocation per chunk.
          var whole = partial
          partial = []
          whole.withUnsafeBufferPointer { line($0, arrival, sink) }
          whole.removeAll(keepingCapacity: true)
          partial = whole
        }
        start = newline + 1
      }
    }
  }

  /// Reports the partial line still held, as if its line had ended (at the end of a capture).
  public mutating func finish(into sink: (ConsoleItem) -> Void) {
    guard !partial.isEmpty, let arrival = lastArrival else {
      partial.removeAll(keepingCapacity: true)
      skippingRest = false
      return
    }
    let whole = partial
    partial.removeAll(keepingCapacity: true)
    skippingRest = false
    whole.withUnsafeBufferPointer { line($0, arrival, sink) }
  }

  /// Decodes one record line starting at its `~T` marker (a trailing `\r\n` or `\n` is allowed).
  public static func decodeRecord(line: some Collection<UInt8>) -> Result<
    TelemetryMessage, TelemetryDamage
  > {
    let direct = line.withContiguousStorageIfAvailable { parse($0) }
    if let direct { return direct }
    return Array(line).withUnsafeBufferPointer { parse($0) }
  }

  private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<
    TelemetryMessage, TelemetryDamage
  > {
    do throws(TelemetryDamage) {
      return .success(try TelemetryParser.record(bytes))
    } catch {
      return .failure(error)
    }
  }

  // MARK: - Lines

  /// Holds bytes whose line has not ended, cutting the line if it grows too long.
  private mutating func keep(
    _ piece: UnsafeBufferPointer<UInt8>, _ arrival: ContinuousClock.Instant,
    _ sink: (ConsoleItem) -> Void
  ) {
    guard !skippingRest else { return }
    partial.append(contentsOf: piece)
    // One byte more than the limit may be the CR of a line that is exactly at the limit.
    while partial.count > maxLineLength + 1 {
      let whole = partial
      partial.removeAll(keepingCapacity: true)
      whole.withUnsafeBufferPointer { cut($0, arrival, sink, lineEnded: false) }
      if skippingRest { return }
    }
  }

  /// Handles one complete line (without its LF; with its CR unless `crRemoved`).
  private mutating func line(
    _ bytes: UnsafeBufferPointer<UInt8>, _ arrival: ContinuousClock.Instant,
    _ sink: (ConsoleItem) -> Void, crRemoved: Bool = false
  ) {
    var end = bytes.count
    if !crRemoved && end > 0 && bytes[end - 1] == F.cr { end -= 1 }
    if end > maxLineLength {
      cut(UnsafeBufferPointer(rebasing: bytes[0..<end]), arrival, sink, lineEnded: true)
      return
    }
    let text = UnsafeBufferPointer(rebasing: bytes[0..<end])
    guard let marker = Self.marker(in: text) else {
      sink(.log(String(decoding: text, as: UTF8.self), arrival: arrival))
      return
    }
    if marker > 0 {
      sink(.log(String(decoding: text[0..<marker], as: UTF8.self), arrival: arrival))
    }
    let record = UnsafeBufferPointer(rebasing: text[marker...])
    do throws(TelemetryDamage) {
      sink(.record(try TelemetryParser.record(record), arrival: arrival))
    } catch {
      sink(.damaged(String(decoding: record, as: UTF8.self), reason: error, arrival: arrival))
    }
  }

  /// Cuts an overlong line at `maxLineLength`. A cut record is damaged and the rest of its line
  /// is dropped; a cut log line is a log line and the rest is decoded as the next line. Bytes
  /// that remain of an unfinished line go back into `partial`.
  private mutating func cut(
    _ bytes: UnsafeBufferPointer<UInt8>, _ arrival: ContinuousClock.Instant,
    _ sink: (ConsoleItem) -> Void, lineEnded: Bool
  ) {
    var start = 0
    // An unfinished line keeps one byte more, as `keep` does: the CR of a line at the limit.
    while bytes.count - start > maxLineLength + (lineEnded ? 0 : 1) {
      let head = UnsafeBufferPointer(rebasing: bytes[start..<(start + maxLineLength)])
      if let marker = Self.marker(in: head) {
        if marker > 0 {
          sink(.log(String(decoding: head[0..<marker], as: UTF8.self), arrival: arrival))
        }
        let record = String(decoding: head[marker...], as: UTF8.self)
        sink(.damaged(record, reason: .tooLong, arrival: arrival))
        skippingRest = !lineEnded
        return
      }
      sink(.log(String(decoding: head, as: UTF8.self), arrival: arrival))
      start += maxLineLength
    }
    let rest = UnsafeBufferPointer(rebasing: bytes[start...])
    if lineEnded {
      // `line` took the CR off before cutting; one more at the end is text, not a terminator.
      line(rest, arrival, sink, crRemoved: true)
    } else {
      partial.append(contentsOf: rest)
    }
  }

  /// The index of the first LF at or after `start`, or `buffer.count`. Looks at 8 bytes at a
  /// time: console text is mostly long lines, and this scan touches every byte.
  @inline(__always)
  private static func newline(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    let n = buffer.count
    var i = start
    #if _endian(little)
      if let base = buffer.baseAddress {
        let raw = UnsafeRawPointer(base)
        while i + 8 <= n {
          // SWAR zero-byte test on word ^ LF: the lowest flagged byte is the first LF.
          let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
          let found = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
          if found != 0 { return i + found.trailingZeroBitCount >> 3 }
          i += 8
        }
      }
    #endif
    while i < n && buffer[i] != F.lf { i += 1 }
    return i
  }

  /// Where the first record marker `~T<digits> ` in the line starts, or nil.
  @inline(__always)
  private static func marker(in text: UnsafeBufferPointer<UInt8>) -> Int? {
    let n = text.count
    var i = 0
    while i + 3 < n {
      if text[i] == F.tilde && text[i + 1] == UInt8(ascii: "T") && isDigit(text[i + 2]) {
        var j = i + 3
        while j < n && isDigit(text[j]) { j += 1 }
        if j < n && text[j] == F.space { return i }
      }
      i += 1
    }
    return nil
  }

  @inline(__always)
  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}

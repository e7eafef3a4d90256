// SPDX-License-Identifier: Apache-2.0

/// Joins three views of every frame of a test: what the host sent (index, CRC, length), what
/// the emulator served (its events: capture done, read done with the CRC of the bytes clocked
/// out, faults applied) and what the DUT read (the CRC and length in its frame record).
///
/// A record whose CRC is a frame sent is matched to it (`FrameMatcher`). One that matches
/// nothing is explained by the emulator's view of the capture it answers: a length the DUT
/// rejected, bytes damaged in the emulator or on the way to the DUT, a frame cut short. Frames
/// left without a record are `dropped` when the emulator served them and `missing` when it never
/// did. Memory: four bytes per frame sent, plus the frames in flight.
public struct FrameJoin: Sendable {
  /// What became of one frame, or of one record.
  public struct Result: Sendable, Equatable {
    public enum Kind: String, Sendable {
      case matched, missing, dropped, duplicated, unknown, damaged, truncated
      case badLength = "bad_length"
    }

    public var kind: Kind
    /// The frame concerned; nil for a record that belongs to no frame known.
    public var index: Int?
    /// The DUT's record, when this result is about one.
    public var report: FrameReport?
    /// What each view saw, for the report.
    public var detail: String
  }

  /// The emulator's view of one frame.
  struct Served: Sendable {
    var sequence: UInt32 = 0
    var length = 0
    var reportedLength: Int?
    var faults: [EmulatorFaultKind] = []
    var times = 0
    var readBytes: Int?
    var readCRC: UInt32?
    var partial = false
  }

  public private(set) var matcher = FrameMatcher()
  private var lengths: [Int32] = []
  private var served: [Int: Served] = [:]
  /// Frames below this index are no longer in `served`.
  private var pruned = 0
  private var lastStarted: UInt32 = 0
  private var lastDone: UInt32 = 0
  /// Captures the emulator completed.
  public private(set) var servedCount = 0
  /// Times the emulator reported dropping events.
  public private(set) var eventGaps = 0

  public init() {}

  /// The host queued frame `index` (the next one) with these bytes.
  public mutating func sent(crc: UInt32, length: Int) {
    matcher.sent(crc: crc)
    lengths.append(Int32(clamping: length))
  }

  /// One event from the emulator.
  public mutating func observe(_ event: EmulatorEvent) {
    switch event {
    case .captureStarted(let sequence, _):
      lastStarted = max(lastStarted, sequence)
    case .frameFaulted(_, let index, let faults, let reportedLength, _):
      guard isTracked(index) else { return }
      served[index, default: Served()].faults = faults
      served[index, default: Served()].reportedLength = reportedLength
    case .captureDone(let sequence, let index, let length, _):
      lastDone = max(lastDone, sequence)
      servedCount += 1
      guard isTracked(index) else { return }
      var s = served[index, default: Served()]
      s.sequence = sequence
      s.length = length
      s.times += 1
      if s.reportedLength == nil { s.reportedLength = length }
      served[index] = s
    case .readDone(_, let index, let bytes, let crc, _):
      guard isTracked(index) else { return }
      served[index, default: Served()].readBytes = bytes
      served[index, default: Served()].readCRC = crc
    case .readAbandoned(_, let index, let bytes, let crc, _):
      guard isTracked(index) else { return }
      served[index, default: Served()].readBytes = bytes
      served[index, default: Served()].readCRC = crc
      served[index, default: Served()].partial = true
    case .eventsLost:
      eventGaps += 1
    }
  }

  /// Frames whose fate is still open or just settled (the last matched one, for repeats).
  private func isTracked(_ index: Int) -> Bool {
    index >= matcher.nextExpected - 1 && index < matcher.sentCount
  }

  /// Whether the record's CRC matches no frame in play, so the emulator's view must be complete
  /// before `resolve` explains it (its events can trail the DUT's record on the other link).
  public func needsServedView(_ report: FrameReport) -> Bool {
    !matcher.recognises(crc: report.frameCRC)
  }

  /// Explains one frame record of the DUT.
  public mutating func resolve(_ report: FrameReport) -> [Result] {
    var results: [Result] = []
    switch matcher.resolve(crc: report.frameCRC) {
    case .matched(let index, let dropped):
      results += dropped.map(missingResult)
      results.append(Result(kind: .matched, index: index, report: report, detail: ""))
    case .duplicate(let index):
      let again = served[index].map { $0.times > 1 } ?? false
      let candidate = nextServed()
      var detail = "frame \(index) reported again (read CRC \(hex8(report.frameCRC)))"
      if again {
        detail += ": the emulator served it \(served[index]?.times ?? 2) times"
      } else if let candidate {
        detail += ": the emulator had served frame \(candidate) for that capture"
      }
      results.append(Result(kind: .duplicated, index: index, report: report, detail: detail))
    case .unknown:
      if let passed = matcher.passedFrame(crc: report.frameCRC) {
        // Not a capture gone wrong: the record of a frame already settled, come late. Blaming
        // the next capture for it would call every frame after it damaged.
        results.append(Result(
          kind: .unknown, index: nil, report: report,
          detail: "the DUT reported frame \(passed) (CRC \(hex8(report.frameCRC))) after a later frame: "
            + "out of order, or again; frame \(passed) was already settled"))
      } else {
        results += explain(report)
      }
    }
    prune()
    return results
  }

  /// The frames still open when the test ends: each dropped or missing.
  public mutating func finish() -> [Result] {
    let rest = matcher.finish()
    let results = rest.map(missingResult)
    served.removeAll()
    return results
  }

  /// A capture the emulator started and never completed, and the frame it most likely latched:
  /// what a DUT stuck polling CAP_DONE is waiting for.
  public var stuckCapture: (sequence: UInt32, frame: Int?)? {
    guard lastStarted > lastDone else { return nil }
    let unserved = (matcher.nextExpected..<matcher.sentCount).first { served[$0] == nil }
    return (lastStarted, unserved)
  }

  /// The lowest frame not yet accounted for that the emulator served.
  private func nextServed() -> Int? {
    served.keys.filter { $0 >= matcher.nextExpected }.min()
  }

  private func missingResult(_ index: Int) -> Result {
    let sentCRC = hex8(matcher.crc(of: index))
    if let s = served[index], s.times > 0 {
      var detail = "the emulator served frame \(index) (capture \(s.sequence)"
      if let bytes = s.readBytes, let crc = s.readCRC {
        detail += ", the DUT read \(bytes) bytes with CRC \(hex8(crc))"
      }
      detail += ") but the DUT reported no result for it"
      return Result(kind: .dropped, index: index, report: nil, detail: detail)
    }
    return Result(
      kind: .missing, index: index, report: nil,
      detail: "no result for frame \(index) (CRC \(sentCRC)); the emulator never reported serving it")
  }

  /// A record matching no frame: what the capture it answers shows.
  private mutating func explain(_ report: FrameReport) -> [Result] {
    guard let index = nextServed(), let s = served[index] else {
      let expected =
        matcher.nextExpected < matcher.sentCount ? hex8(matcher.crc(of: matcher.nextExpected)) : "none"
      return [
        Result(
          kind: .unknown, index: nil, report: report,
          detail: "the DUT read \(report.length) bytes with CRC \(hex8(report.frameCRC)), which "
            + "match no frame sent (expected frame \(matcher.nextExpected), CRC \(expected)); the "
            + "emulator reported no capture to explain it")
      ]
    }
    let sentLength = Int(lengths[index])
    let sentCRC = hex8(matcher.crc(of: index))
    let faults = s.faults.isEmpty ? "" : " (fault \(s.faults.map(\.rawValue).joined(separator: ", ")))"
    let reported = s.reportedLength ?? s.length
    let kind: Result.Kind
    var detail: String
    if report.status == "len_invalid" || (report.length == 0 && reported != sentLength) {
      kind = .badLength
      detail =
        reported == sentLength
        ? "the DUT rejected the FIFO length \(reported) the emulator reported for frame \(index)"
        : "the emulator reported a FIFO length of \(reported) for frame \(index) (\(sentLength) "
          + "bytes)\(faults); the DUT rejected it (status \(report.status))"
    } else if s.partial || report.length < sentLength || s.faults.contains(.truncate) {
      kind = .truncated
      if s.faults.contains(.truncate) {
        detail =
          "the emulator's FIFO served fill instead of the end of frame \(index)\(faults): the DUT "
          + "read CRC \(hex8(report.frameCRC)), sent \(sentCRC)"
      } else {
        detail =
          "the DUT read \(s.readBytes ?? report.length) of \(sentLength) bytes of frame \(index) "
          + "(CRC \(hex8(report.frameCRC)), sent \(sentCRC))"
      }
    } else {
      kind = .damaged
      if let readCRC = s.readCRC, readCRC == report.frameCRC {
        detail =
          "the emulator served frame \(index) with other bytes than the host sent\(faults): read "
          + "CRC \(hex8(readCRC)), sent \(sentCRC)"
      } else if let readCRC = s.readCRC {
        detail =
          "frame \(index) was damaged between the emulator and the DUT (SPI bus or DUT memory): "
          + "the emulator clocked out CRC \(hex8(readCRC)) (sent \(sentCRC)), the DUT computed "
          + "\(hex8(report.frameCRC))"
      } else {
        detail =
          "the DUT read CRC \(hex8(report.frameCRC)) for frame \(index), sent \(sentCRC); the "
          + "emulator reported no read of it"
      }
    }
    var results = matcher.consume(index).map(missingResult)
    results.append(Result(kind: kind, index: index, report: report, detail: detail))
    return results
  }

  /// Forgets frames settled for good (all but the last matched, kept for repeats). Frames settle
  /// in order, so this walks only the indices settled since the last call.
  private mutating func prune() {
    let floor = matcher.nextExpected - 1
    while pruned < floor {
      served.removeValue(forKey: pruned)
      pruned += 1
    }
  }
}

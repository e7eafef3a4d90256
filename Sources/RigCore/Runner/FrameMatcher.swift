// SPDX-License-Identifier: Apache-2.0

/// Matches the DUT's frame records to the frames the host sent, by the CRC32 of the bytes the DUT
/// read, and tells which frames were dropped, repeated or unknown.
///
/// Frames are expected back in the order they were sent. A record for a later frame than the next
/// expected one means the frames in between were dropped; a record repeating the last matched
/// frame is a duplicate; a CRC matching no frame sent is unknown (the DUT read damaged or foreign
/// bytes). Memory is four bytes per frame sent.
public struct FrameMatcher: Sendable {
  public enum Resolution: Sendable, Equatable {
    /// The record belongs to frame `index`; `dropped` frames before it got no record.
    case matched(index: Int, dropped: Range<Int>)
    /// The record repeats frame `index`, already reported.
    case duplicate(index: Int)
    /// The record's CRC matches no frame sent.
    case unknown
  }

  private var sentCRCs: [UInt32] = []
  /// The lowest frame index not yet matched or given up as dropped.
  public private(set) var nextExpected = 0
  private var lastMatched: Int?

  public init() {}

  public var sentCount: Int { sentCRCs.count }

  /// Records that frame `sentCount` was queued with this CRC.
  public mutating func sent(crc: UInt32) {
    sentCRCs.append(crc)
  }

  public func crc(of index: Int) -> UInt32 { sentCRCs[index] }

  /// Whether every frame sent has been matched or declared dropped.
  public var isComplete: Bool { nextExpected >= sentCRCs.count }

  /// Whether `resolve(crc:)` would place the CRC (match or repeat), without changing anything.
  public func recognises(crc: UInt32) -> Bool {
    if let lastMatched, sentCRCs[lastMatched] == crc { return true }
    return sentCRCs[nextExpected...].contains(crc)
  }

  /// The frame, among the last `window` already matched or given up, whose CRC this is: a
  /// record that comes after a later frame's (out of order), or repeats an older frame. Looks
  /// back a bounded way, so a clip of any length costs the same per unknown record.
  public func passedFrame(crc: UInt32, window: Int = 64) -> Int? {
    let passed = max(0, nextExpected - window)..<min(nextExpected, sentCRCs.count)
    return passed.reversed().first { sentCRCs[$0] == crc }
  }

  public mutating func resolve(crc: UInt32) -> Resolution {
    var q = nextExpected
    while q < sentCRCs.count {
      if sentCRCs[q] == crc {
        let dropped = nextExpected..<q
        nextExpected = q + 1
        lastMatched = q
        return .matched(index: q, dropped: dropped)
      }
      q += 1
    }
    if let lastMatched, sentCRCs[lastMatched] == crc { return .duplicate(index: lastMatched) }
    return .unknown
  }

  /// Accounts for frame `index` without a CRC match (the DUT's record for it was identified
  /// otherwise: a rejected length, damaged bytes). Returns the frames before it that got no
  /// record; an index already passed changes nothing.
  public mutating func consume(_ index: Int) -> Range<Int> {
    guard index >= nextExpected, index < sentCRCs.count else { return nextExpected..<nextExpected }
    let dropped = nextExpected..<index
    nextExpected = index + 1
    return dropped
  }

  /// Gives up on every frame not yet matched (the clip ended); returns their indices.
  public mutating func finish() -> Range<Int> {
    let rest = nextExpected..<sentCRCs.count
    nextExpected = sentCRCs.count
    return rest
  }
}

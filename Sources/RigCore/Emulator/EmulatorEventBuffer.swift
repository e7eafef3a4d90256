// SPDX-License-Identifier: Apache-2.0

/// The emulator's events as the link driver received them, until the caller of `nextEvent` reads
/// them: link events turned into `EmulatorEvent`s, in order, at most `limit` unread (older ones
/// are dropped if nobody reads them).
struct EmulatorEventBuffer {
  /// Events kept unread at most, unless told otherwise.
  static let defaultLimit = 1 << 16

  let limit: Int
  private var events: [EmulatorEvent] = []
  private var head = 0

  init(limit: Int = Self.defaultLimit) {
    self.limit = max(limit, 1)
  }

  /// Events received and not yet read.
  var unread: Int { events.count - head }

  /// Adds what one link event says; true when the emulator reported events dropped before it.
  @discardableResult
  mutating func record(_ e: EmulatorLinkEvent) -> Bool {
    if e.lostBefore { append(.eventsLost(micros: e.micros)) }
    switch e.kind {
    case .captureDone where !e.faults.isEmpty || e.reportedLength != e.length:
      append(.frameFaulted(
        sequence: e.sequence, frameIndex: Int(e.tag), faults: e.faults, reportedLength: e.reportedLength,
        micros: e.micros))
      append(.captureDone(sequence: e.sequence, frameIndex: Int(e.tag), length: e.length, micros: e.micros))
    case .readDone where e.partial:
      append(.readAbandoned(
        sequence: e.sequence, frameIndex: Int(e.tag), bytesRead: e.bytesRead, crc32: e.crc32,
        micros: e.micros))
    default:
      if let event = e.emulatorEvent { append(event) }
    }
    return e.lostBefore
  }

  /// The oldest unread event.
  mutating func next() -> EmulatorEvent? {
    guard head < events.count else { return nil }
    let event = events[head]
    head += 1
    // Events keep arriving while earlier ones are read (uploads pump the link too): drop the
    // read ones now and then, or the array would hold every event of a long clip.
    if head >= events.count {
      events.removeAll(keepingCapacity: true)
      head = 0
    } else if head >= 1024 && head * 2 >= events.count {
      events.removeFirst(head)
      head = 0
    }
    return event
  }

  /// Forgets every event (the emulator was reset).
  mutating func removeAll() {
    events.removeAll()
    head = 0
  }

  private mutating func append(_ event: EmulatorEvent) {
    if events.count - head >= limit { head += 1 }
    events.append(event)
  }
}

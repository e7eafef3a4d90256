// SPDX-License-Identifier: Apache-2.0

/// What became of one request on the emulator link.
enum EmulatorLinkAnswer: Equatable {
  case ok([UInt8])
  case failed(EmulatorLinkFailure)
  /// The emulator answered a later request first: this one never reached it, or its answer was
  /// damaged on the way back.
  case lost

  var isLost: Bool { self == .lost }

  /// The answer in a message's words.
  var summary: String {
    switch self {
    case .ok: "accepted"
    case .failed(let f): "\(f)"
    case .lost: "a request was lost"
    }
  }
}

/// The requests sent on the emulator link and not yet answered, with their sequence numbers
/// (`docs/emulator-protocol.md` §2).
///
/// The emulator answers in order, so an answer to one request also says that every request sent
/// before it and still unanswered was lost. At most `size` requests may be unanswered at once;
/// a request overdue by `chaseAfter` is the cue to chase them with a SYNC.
struct EmulatorRequestWindow<Owner> {
  struct Request {
    var seq: UInt16
    var type: EmulatorLink.MessageType
    /// Who awaits the answer.
    var owner: Owner
  }

  /// Requests unanswered at once before the first HELLO, and the cap on what an emulator offers.
  static var defaultSize: Int { 4 }
  static var maximumSize: Int { 64 }

  /// Unanswered requests, oldest first.
  private(set) var outstanding: [Request] = []
  /// Requests allowed unanswered at once.
  private(set) var size = Self.defaultSize
  private var nextSeq: UInt16 = 1
  /// When the emulator last answered (or the window last came out of idle, or was chased).
  private(set) var lastProgress: ContinuousClock.Instant

  init(now: ContinuousClock.Instant) {
    lastProgress = now
  }

  var isEmpty: Bool { outstanding.isEmpty }
  var count: Int { outstanding.count }
  var isFull: Bool { outstanding.count >= size }

  /// Takes the window the emulator offered in its HELLO (nil: none yet), within 1…`maximumSize`.
  mutating func resize(offered: Int?) {
    size = min(max(offered ?? Self.defaultSize, 1), Self.maximumSize)
  }

  /// Numbers a request about to be written and counts it as unanswered. Sequence numbers run
  /// 1…65535 and wrap, skipping 0.
  mutating func numberRequest(_ type: EmulatorLink.MessageType, owner: Owner, now: ContinuousClock.Instant)
    -> UInt16
  {
    if outstanding.isEmpty { lastProgress = now }
    let seq = nextSeq
    nextSeq &+= 1
    if nextSeq == 0 { nextSeq = 1 }
    outstanding.append(Request(seq: seq, type: type, owner: owner))
    return seq
  }

  /// An answer to `seq` arrived: the request it answers and those before it, which were lost;
  /// nil when `seq` is not outstanding (a late or duplicated answer).
  mutating func answer(_ seq: UInt16, now: ContinuousClock.Instant)
    -> (lost: [Request], answered: Request)?
  {
    guard let index = outstanding.firstIndex(where: { $0.seq == seq }) else { return nil }
    lastProgress = now
    let lost = Array(outstanding[..<index])
    let answered = outstanding[index]
    outstanding.removeFirst(index + 1)
    return (lost, answered)
  }

  /// Whether requests have waited `after` since the last answer: time to chase them. A true
  /// answer restarts the wait, so each chase gets its own `after`.
  mutating func chaseDue(now: ContinuousClock.Instant, after: Duration) -> Bool {
    guard !outstanding.isEmpty, now - lastProgress >= after else { return false }
    lastProgress = now
    return true
  }

  /// Whether a request of `type` is unanswered.
  func awaits(_ type: EmulatorLink.MessageType) -> Bool {
    outstanding.contains { $0.type == type }
  }

  /// Forgets every unanswered request (a new handshake); numbering goes on.
  mutating func removeAll() {
    outstanding.removeAll()
  }
}

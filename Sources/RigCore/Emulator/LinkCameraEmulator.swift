// SPDX-License-Identifier: Apache-2.0

/// The camera emulator driven over its link protocol (`docs/emulator-protocol.md`), on any
/// `SerialLink`: an RP2040 emulator's USB CDC port, or the simulated emulator's pseudo-terminal.
///
/// Frames are uploaded pipelined within the emulator's window, so the link stays full; each is
/// kept until its LOAD_END is confirmed, and one that is refused for damage on the link (CRC
/// mismatch, a lost message) is uploaded again, with every frame behind it, so the play queue
/// keeps the host's order. A frame only joins the queue once every frame before it has. When
/// the emulator's RAM is short (QVGA RGB565 leaves room for one frame beside the one the DUT
/// holds), an upload first asks for room and waits for the DUT to free some.
///
/// One caller at a time: the runner's test session, or a command. Memory is bounded by the
/// frames in flight (at most the window's worth).
public actor LinkCameraEmulator: CameraEmulator {
  /// What the host has observed of the link, for self-tests and benchmarks.
  public struct Statistics: Sendable, Equatable {
    /// Frames whose LOAD_END the emulator confirmed.
    public var framesUploaded = 0
    /// Frame bytes in those frames.
    public var frameBytesUploaded = 0
    /// Bytes written to the link, framing included.
    public var bytesSent = 0
    /// Frame uploads repeated after damage on the link.
    public var retries = 0
    /// Requests whose reply never came (damaged on the way there or back).
    public var lostRequests = 0
    /// NOTICE messages: damaged messages the emulator dropped.
    public var notices = 0
    /// Half-received messages the emulator dropped because the rest came `staleAfter` late: the
    /// host paused in the middle of a message (a loaded host), not damage on the link.
    public var staleMessages = 0
    /// Host-side decoder: messages from the emulator that failed their CRC.
    public var damagedReplies = 0
    /// Events the emulator reported having dropped.
    public var eventGaps = 0
    /// Times zero bytes were sent to end a half message the emulator seemed stuck on.
    public var resyncs = 0

    public init() {}
  }

  private enum Answer {
    case ok([UInt8])
    case failed(EmulatorLinkFailure)
    case lost
  }

  private enum Role {
    case begin, data, end
  }

  private enum Owner {
    /// A request a caller awaits; the answer goes to `answers`.
    case call
    /// A SYNC sent to flush out lost requests; its answer is not needed.
    case chase
    /// Part of a frame upload: its id and attempt, so answers to an abandoned attempt are ignored.
    case upload(id: Int, attempt: Int, role: Role)
  }

  private struct Outstanding {
    var seq: UInt16
    var type: EmulatorLink.MessageType
    var owner: Owner
  }

  private struct Upload {
    let id: Int
    let frame: EmulatorFrame
    var attempt = 0
    /// BEGIN and DATA sent for the current attempt.
    var bodySent = false
    var endSent = false
    /// The emulator answered LOAD_END (the authoritative outcome of the attempt).
    var endAnswered = false
    var confirmed = false
    /// Ask for room (await LOAD_BEGIN) before sending data.
    var probe = false
    var begun: Bool?
    var failure: (role: Role, answer: Answer)?
  }

  /// The link's name, for messages: its device path.
  public nonisolated let name: String
  private let link: any SerialLink
  private nonisolated let capacity = Locked(1)
  private var decoder = EmulatorLinkDecoder(maxPayload: EmulatorLink.minimumPayload)
  /// The emulator's HELLO, once connected.
  public private(set) var identity: EmulatorLinkHello?
  public private(set) var statistics = Statistics()
  private var nextSeq: UInt16 = 1
  private var outstanding: [Outstanding] = []
  private var answers: [UInt16: Answer] = [:]
  private var events: [EmulatorEvent] = []
  private var eventHead = 0
  private var uploads: [Upload] = []
  private var nextUploadID = 0
  private var writeBuffer: [UInt8] = []
  /// The emulator's largest free stretch of frame RAM, as last reported, less what was sent since.
  private var estimatedFree = 0
  /// When the emulator last answered a request (or a chase was sent).
  private var lastAnswer = ContinuousClock.now
  private var setup = CameraSetup(format: .gray8, width: 96, height: 96)

  /// Requests unanswered at once before the first HELLO, and the cap on what an emulator offers.
  static let defaultWindow = 4
  static let maximumWindow = 64
  /// Attempts at a frame damaged on the link before the upload fails.
  static let maximumAttempts = 4
  /// Bytes collected before they are written in one go.
  static let writeBatch = 64 * 1024
  /// An answer overdue this long is chased with a SYNC, which shows whether it was lost.
  static let chaseAfter: Duration = .milliseconds(250)
  /// Time allowed to re-upload a damaged frame from within `nextEvent`, whatever its deadline.
  static let recoveryTime: Duration = .seconds(2)
  /// Events kept for `nextEvent` at most; older ones are dropped if nobody reads them.
  static let eventLimit = 1 << 16

  /// A driver over `link`. The handshake happens on first use, or with `connect(deadline:)`.
  public init(link: any SerialLink) {
    self.link = link
    name = link.name
  }

  /// Frames of the configured size the emulator can hold queued beside the one the DUT holds.
  public nonisolated var queueCapacity: Int { capacity.withLock { $0 } }

  // MARK: - Session

  /// Handshake: HELLO (retried, as the first bytes may meet a half-received message), then
  /// events on. Returns what the emulator said about itself.
  @discardableResult
  public func connect(deadline: ContinuousClock.Instant) async throws -> EmulatorLinkHello {
    link.discardInput()
    decoder.reset()
    outstanding.removeAll()
    answers.removeAll()
    var lastError: RigError?
    while ContinuousClock.now < deadline {
      let attempt = min(deadline, .now + .milliseconds(500))
      do {
        let payload = try await call(.hello(maxPayload: UInt16(EmulatorLink.minimumPayload)), deadline: attempt)
        let hello = EmulatorLinkHello(payload: payload)
        guard hello.version == EmulatorLink.version else {
          throw RigError(
            .protocolViolation,
            "camera emulator on \(name) answered HELLO with protocol version \(hello.version); "
              + "rig speaks version \(EmulatorLink.version)")
        }
        identity = hello
        estimatedFree = hello.ram
        updateCapacity()
        _ = try await call(.events(on: true), deadline: deadline)
        return hello
      } catch let error as RigError where error.code == .timedOut {
        lastError = error
      }
    }
    throw RigError(
      .hardwareUnavailable,
      "camera emulator on \(name) did not answer HELLO (is it an emulator running rig's link "
        + "protocol v1, and is the port right?)", cause: lastError)
  }

  /// Empties the queue and counters; the register model returns to power-on state.
  public func reset(deadline: ContinuousClock.Instant) async throws {
    try await ensureConnected(deadline: deadline)
    uploads.removeAll()
    _ = try await call(.reset, deadline: deadline)
    _ = try await call(.events(on: true), deadline: deadline)
    events.removeAll()
    eventHead = 0
    estimatedFree = identity?.ram ?? 0
  }

  /// Sets format, size and play mode for the next clip; frames still queued are dropped.
  public func configure(_ setup: CameraSetup, deadline: ContinuousClock.Instant) async throws {
    try await configure(setup, link: .init(format: setup.format, width: setup.width, height: setup.height), deadline: deadline)
  }

  /// `configure` with every register-model setting given.
  public func configure(
    _ setup: CameraSetup, link config: EmulatorLinkConfig, deadline: ContinuousClock.Instant
  ) async throws {
    let hello = try await ensureConnected(deadline: deadline)
    guard hello.supports(setup.format) else {
      throw RigError(
        .hardwareUnavailable,
        "camera emulator on \(name) (\(hello.name)) does not serve \(setup.format.rawValue) frames")
    }
    try await settleUploads(deadline: deadline)
    self.setup = setup
    updateCapacity()
    try await calls([.config(config), .mode(setup.mode), .queueClear, .events(on: true)], deadline: deadline)
  }

  // MARK: - Frames

  /// Uploads a frame and queues it behind those already queued. Returns once it is on its way;
  /// a refusal that arrives later (and cannot be cured by uploading it again) is thrown by a
  /// later call.
  public func enqueue(_ frame: EmulatorFrame, deadline: ContinuousClock.Instant) async throws {
    try await ensureConnected(deadline: deadline)
    uploads.append(Upload(id: nextUploadID, frame: frame))
    nextUploadID += 1
    try await drive(deadline: deadline)
  }

  /// Waits until every frame sent is confirmed queued.
  public func settleUploads(deadline: ContinuousClock.Instant) async throws {
    try await drive(deadline: deadline)
    while !uploads.isEmpty {
      try await pump(until: deadline, chasing: true)
      try await drive(deadline: deadline)
    }
  }

  /// The next event, or nil when the deadline passes first.
  public func nextEvent(until deadline: ContinuousClock.Instant) async throws -> EmulatorEvent? {
    // Bytes already received are worked through even at the deadline, but only so many: a link
    // delivering garbage without end must not keep the caller here.
    var lateReads = 0
    while true {
      if eventHead < events.count {
        let event = events[eventHead]
        eventHead += 1
        // Events keep arriving while earlier ones are read (uploads pump the link too): drop the
        // read ones now and then, or the array would hold every event of a long clip.
        if eventHead >= events.count {
          events.removeAll(keepingCapacity: true)
          eventHead = 0
        } else if eventHead >= 1024 && eventHead * 2 >= events.count {
          events.removeFirst(eventHead)
          eventHead = 0
        }
        return event
      }
      if uploads.contains(where: { $0.failure != nil }) {
        // A frame the link damaged after its enqueue returned: upload it again now, or the DUT
        // would wait for it for ever.
        try await drive(deadline: max(deadline, .now + Self.recoveryTime))
        continue
      }
      let now = ContinuousClock.now
      if now >= deadline {
        lateReads += 1
        if lateReads > 64 { return nil }
      }
      try await chaseIfOverdue(now: now, deadline: max(deadline, now + Self.recoveryTime))
      let step = outstanding.isEmpty ? deadline : min(deadline, now + Self.chaseAfter)
      if try await pumpOnce(until: step) { continue }
      if ContinuousClock.now >= deadline { return nil }
    }
  }

  public func status(deadline: ContinuousClock.Instant) async throws -> EmulatorStatus {
    try await linkStatus(deadline: deadline).emulatorStatus
  }

  /// Every counter the emulator keeps. The reply also marks a point in the event stream: every
  /// event the emulator produced before it has been received when this returns.
  public func linkStatus(deadline: ContinuousClock.Instant) async throws -> EmulatorLinkStatus {
    try await ensureConnected(deadline: deadline)
    return EmulatorLinkStatus(payload: try await call(.status, deadline: deadline))
  }

  public func inject(
    _ fault: EmulatorFaultKind, mode: EmulatorFaultMode, parameter: UInt32, frame: Int?,
    deadline: ContinuousClock.Instant
  ) async throws {
    try await ensureConnected(deadline: deadline)
    let tag = frame.map { UInt32(truncatingIfNeeded: $0) } ?? EmulatorLink.anyTag
    _ = try await call(.fault(kind: fault, mode: mode, parameter: parameter, tag: tag), deadline: deadline)
  }

  /// The emulator's microsecond clock (SYNC).
  public func clock(deadline: ContinuousClock.Instant) async throws -> UInt64 {
    try await ensureConnected(deadline: deadline)
    return EmulatorLinkFields(try await call(.sync, deadline: deadline)).u64(0)
  }

  // MARK: - Explicit slots (loop and hold modes, self-test)

  /// Loads `bytes` into `slot` and, with `queue`, appends it to the play queue. Returns the
  /// emulator's largest free stretch of RAM afterwards.
  /// With `crc`, that CRC is announced instead of the bytes' own (to check that the emulator
  /// refuses a frame damaged on the way).
  @discardableResult
  public func load(
    _ bytes: [UInt8], slot: UInt8, tag: UInt32, queue: Bool, crc announced: UInt32? = nil,
    deadline: ContinuousClock.Instant
  ) async throws -> Int {
    try await ensureConnected(deadline: deadline)
    let load = SlotLoad(slot: slot, bytes: bytes[...], crc: announced ?? CRC32.checksum(bytes), tag: tag, queue: queue)
    let replies = try await loadSlots([load], freeFirst: false, deadline: deadline)
    return Int(EmulatorLinkFields(replies.last ?? []).u32(4))
  }

  /// Uploads `count` frames of `frameBytes` into explicit slots, never queued, all pipelined
  /// within the window, and returns the wall time from the first byte written to the last
  /// confirmation: the link's frame upload rate without a DUT consuming frames.
  public func measureUploads(
    frameBytes: Int, count: Int, deadline: ContinuousClock.Instant
  ) async throws -> Duration {
    let hello = try await ensureConnected(deadline: deadline)
    let slots = max(1, min(4, hello.ram / max(Self.aligned(frameBytes), 1)))
    let frame = (0..<frameBytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
    let crc = CRC32.checksum(frame)
    let loads = (0..<count).map { i in
      SlotLoad(slot: UInt8(8 + i % slots), bytes: frame[...], crc: crc, tag: UInt32(i), queue: false)
    }
    let start = ContinuousClock.now
    do {
      try await loadSlots(loads, freeFirst: true, deadline: deadline)
    } catch let error as RigError where error.code == .hardwareFault {
      throw RigError(.hardwareFault, "camera emulator on \(name): an upload failed while measuring: \(error.message)")
    }
    let elapsed = ContinuousClock.now - start
    for slot in 0..<slots { _ = try await call(.free(slot: UInt8(8 + slot)), deadline: deadline) }
    return elapsed
  }

  /// A frame for an explicit slot.
  private struct SlotLoad {
    var slot: UInt8
    var bytes: ArraySlice<UInt8>
    var crc: UInt32
    var tag: UInt32
    var queue: Bool
  }

  /// Loads frames into explicit slots, pipelined within the window (each after a FREE of its
  /// slot with `freeFirst`). Returns each LOAD_END's reply.
  ///
  /// A load one of whose requests was lost on the link (a host paused mid-message past the
  /// emulator's patience, or damage) is loaded again after a FREE, since the emulator's refusal
  /// of its LOAD_END (`crc_mismatch`, `state`) then only says that a part never arrived; a LOAD_END
  /// that queued the frame and whose answer was lost cannot be repeated without queueing it twice,
  /// and is thrown. A refusal with nothing lost is the emulator's verdict, and is thrown.
  @discardableResult
  private func loadSlots(_ loads: [SlotLoad], freeFirst: Bool, deadline: ContinuousClock.Instant)
    async throws -> [[UInt8]]
  {
    let hello = try requireConnected()
    let chunk = Self.chunkBytes(hello)
    var replies = [[UInt8]](repeating: [], count: loads.count)
    var pending = Array(loads.indices)
    var attempt = 0
    while !pending.isEmpty {
      var sent: [(load: Int, seqs: [UInt16])] = []
      for i in pending {
        let load = loads[i]
        var seqs: [UInt16] = []
        if freeFirst || attempt > 0 { seqs.append(try await send(.free(slot: load.slot), owner: .call, deadline: deadline)) }
        seqs.append(try await send(
          .loadBegin(
            slot: load.slot, format: setup.format, width: setup.width, height: setup.height,
            length: UInt32(load.bytes.count), crc: load.crc, tag: load.tag),
          owner: .call, deadline: deadline))
        var offset = load.bytes.startIndex
        while offset < load.bytes.endIndex {
          let n = min(chunk, load.bytes.endIndex - offset)
          seqs.append(try await send(
            .loadData(slot: load.slot, offset: UInt32(offset - load.bytes.startIndex), data: load.bytes[offset..<(offset + n)]),
            owner: .call, deadline: deadline))
          offset += n
        }
        seqs.append(try await send(.loadEnd(slot: load.slot, queue: load.queue), owner: .call, deadline: deadline))
        sent.append((i, seqs))
      }
      try await flush(deadline: deadline)
      var again: [Int] = []
      var refusal: RigError?
      for (i, seqs) in sent {
        var lost = false
        var failure: EmulatorLinkFailure?
        var end: Answer = .lost
        for seq in seqs {
          while answers[seq] == nil { try await pump(until: deadline, chasing: true) }
          let answer = answers.removeValue(forKey: seq) ?? .lost
          end = answer
          switch answer {
          case .ok: break
          case .failed(let f): failure = failure ?? f
          case .lost: lost = true
          }
        }
        if case .ok(let payload) = end {
          replies[i] = payload
        } else if lost && !(loads[i].queue && isLost(end)) {
          again.append(i)
        } else if refusal == nil {
          let what = "LOAD of \(loads[i].bytes.count) bytes into slot \(loads[i].slot)"
          refusal = failure.map { RigError(.hardwareFault, "camera emulator on \(name) refused \(what): \($0)") }
            ?? RigError(
              .hardwareFault,
              "camera emulator on \(name): the answer to the LOAD_END of \(what) was lost on the link; "
                + "check the cable and the emulator's firmware")
        }
      }
      if let refusal { throw refusal }
      attempt += 1
      statistics.retries += again.count
      guard again.isEmpty || attempt < Self.maximumAttempts else {
        throw RigError(
          .hardwareFault,
          "camera emulator on \(name): a load into slot \(loads[again[0]].slot) was lost on the link "
            + "\(Self.maximumAttempts) times; check the cable and the emulator's firmware")
      }
      pending = again
    }
    return replies
  }

  private func isLost(_ answer: Answer) -> Bool {
    if case .lost = answer { return true }
    return false
  }

  /// Appends loaded slots to the play queue; returns the queue depth.
  @discardableResult
  public func queue(slots: [UInt8], deadline: ContinuousClock.Instant) async throws -> Int {
    try await ensureConnected(deadline: deadline)
    return Int(EmulatorLinkFields(try await call(.queue(slots: slots), deadline: deadline)).u8(0))
  }

  /// Releases a slot (once the DUT no longer reads it).
  public func free(slot: UInt8, deadline: ContinuousClock.Instant) async throws {
    try await ensureConnected(deadline: deadline)
    _ = try await call(.free(slot: slot), deadline: deadline)
  }

  // MARK: - Uploads

  /// Data bytes per LOAD_DATA: the emulator's payload limit less the slot and offset, in whole
  /// 256-byte blocks when it allows.
  static func chunkBytes(_ hello: EmulatorLinkHello) -> Int {
    let room = max(hello.maxPayload, EmulatorLink.minimumPayload) - EmulatorLink.loadDataPrefix
    return room >= 512 ? room / 256 * 256 : room
  }

  /// Brings every upload forward: bodies sent, failures cured or thrown, each LOAD_END sent once
  /// every frame before it is confirmed.
  private func drive(deadline: ContinuousClock.Instant) async throws {
    var i = 0
    while i < uploads.count {
      if let failure = uploads[i].failure {
        if uploads[i].endSent && !uploads[i].endAnswered {
          // Only LOAD_END's answer says whether the frame was queued (a lost reply to a data
          // chunk the emulator did receive must not cause a second copy).
          try await flush(deadline: deadline)
          try await pump(until: deadline, chasing: true)
          i = 0
          continue
        }
        try recover(at: i, failure)
        continue
      }
      if !uploads[i].bodySent {
        try await sendBody(at: i, deadline: deadline)
        // Sending may have taken answers that changed earlier uploads: look again from the start.
        i = 0
        continue
      }
      if !uploads[i].endSent {
        if i > 0 {
          // The queue keeps the host's order: this frame joins it only after those before it.
          try await flush(deadline: deadline)
          try await pump(until: deadline, chasing: true)
          i = 0
          continue
        }
        try await send(.loadEnd(slot: EmulatorLink.streamSlot, queue: true),
          owner: .upload(id: uploads[i].id, attempt: uploads[i].attempt, role: .end), deadline: deadline)
        uploads[i].endSent = true
      }
      i += 1
    }
    try await flush(deadline: deadline)
  }

  /// LOAD_BEGIN and the data of upload `i`. When RAM may be short, LOAD_BEGIN is answered first,
  /// and refused ones retried as the DUT frees room, until the deadline.
  private func sendBody(at start: Int, deadline: ContinuousClock.Instant) async throws {
    let hello = try requireConnected()
    let id = uploads[start].id
    let attempt = uploads[start].attempt
    let frame = uploads[start].frame
    let length = frame.bytes.count
    // Where the upload is now: answers handled while waiting may remove confirmed ones before it.
    func index() -> Int? {
      uploads.firstIndex { $0.id == id && $0.attempt == attempt }
    }
    let begin = EmulatorLinkRequest.loadBegin(
      slot: EmulatorLink.streamSlot, format: setup.format, width: setup.width, height: setup.height,
      length: UInt32(length), crc: frame.crc32, tag: UInt32(truncatingIfNeeded: frame.index))
    if uploads[start].probe || Self.aligned(length) > estimatedFree {
      while true {
        try await send(begin, owner: .upload(id: id, attempt: attempt, role: .begin), deadline: deadline)
        try await flush(deadline: deadline)
        while let i = index(), uploads[i].begun == nil && uploads[i].failure == nil {
          try await pump(until: deadline, chasing: true)
        }
        guard let i = index() else { return }
        guard let failure = uploads[i].failure else { break }
        guard case .failed(let f) = failure.answer, f.code == .noRAM else { return }
        uploads[i].failure = nil
        uploads[i].begun = nil
        if ContinuousClock.now >= deadline {
          throw RigError(
            .timedOut,
            "camera emulator on \(name): no room for frame \(frame.index) (\(length) bytes) "
              + "before the deadline; the DUT is not consuming frames")
        }
        // Room comes back when the DUT starts its next capture and drops the frame it held.
        _ = try await pumpOnce(until: min(deadline, .now + .milliseconds(2)))
      }
    } else {
      try await send(begin, owner: .upload(id: id, attempt: attempt, role: .begin), deadline: deadline)
    }
    estimatedFree -= Self.aligned(length)
    let chunk = Self.chunkBytes(hello)
    var offset = 0
    while offset < length {
      guard let i = index() else { return }
      // A refusal already in: the rest would be refused too.
      if uploads[i].failure != nil { break }
      let n = min(chunk, length - offset)
      try await send(
        .loadData(
          slot: EmulatorLink.streamSlot, offset: UInt32(offset), data: frame.bytes[offset..<(offset + n)]),
        owner: .upload(id: id, attempt: attempt, role: .data), deadline: deadline)
      offset += n
    }
    if let i = index() { uploads[i].bodySent = true }
  }

  /// Upload `i` failed: upload it again with every frame behind it when the link damaged it or
  /// RAM was short; otherwise the emulator refused the frame, which is thrown.
  private func recover(at i: Int, _ failure: (role: Role, answer: Answer)) throws {
    let frame = uploads[i].frame
    let what = "frame \(frame.index) (\(frame.bytes.count) bytes)"
    var retryable = false
    var probe = false
    switch failure.answer {
    case .lost:
      retryable = true
    case .failed(let f):
      switch f.code {
      case .crcMismatch: retryable = true
      case .noRAM:
        retryable = true
        probe = true
      case .state where failure.role != .begin:
        // Data for a load the emulator abandoned (it lost the LOAD_BEGIN): send it all again.
        retryable = true
      case .queueFull:
        throw RigError(
          .hardwareFault,
          "camera emulator on \(name): queue full when \(what) was queued; keep at most "
            + "queueCapacity (\(queueCapacity)) frames ahead of the DUT")
      default:
        throw RigError(.hardwareFault, "camera emulator on \(name) refused \(what): \(f)")
      }
    case .ok:
      return
    }
    guard retryable, uploads[i].attempt + 1 < Self.maximumAttempts || probe else {
      throw RigError(
        .hardwareFault,
        "camera emulator on \(name): \(what) was damaged on the link \(Self.maximumAttempts) times "
          + "(\(describe(failure.answer))); check the cable and the emulator's firmware")
    }
    if !probe { statistics.retries += 1 }
    for j in i..<uploads.count {
      uploads[j].attempt += 1
      uploads[j].bodySent = false
      uploads[j].endSent = false
      uploads[j].endAnswered = false
      uploads[j].begun = nil
      uploads[j].failure = nil
    }
    uploads[i].probe = probe
  }

  private func describe(_ answer: Answer) -> String {
    switch answer {
    case .ok: "accepted"
    case .failed(let f): "\(f)"
    case .lost: "a request was lost"
    }
  }

  private static func aligned(_ n: Int) -> Int { (n + 3) & ~3 }

  private func updateCapacity() {
    guard let hello = identity else { return }
    let bytes = setup.format.frameBytes(width: setup.width, height: setup.height) ?? setup.width * setup.height
    let fitting = hello.ram / max(Self.aligned(bytes), 1) - 1
    let value = max(1, min(fitting, hello.slots - 1, hello.queueDepth - 1))
    capacity.withLock { $0 = value }
  }

  /// The emulator's identity, after a handshake if there has been none yet.
  @discardableResult
  private func ensureConnected(deadline: ContinuousClock.Instant) async throws -> EmulatorLinkHello {
    if let identity { return identity }
    return try await connect(deadline: deadline)
  }

  private func requireConnected() throws -> EmulatorLinkHello {
    guard let identity else {
      throw RigError(.internal, "camera emulator on \(name) used before its handshake")
    }
    return identity
  }

  // MARK: - Requests and answers

  private var window: Int {
    min(max(identity?.window ?? Self.defaultWindow, 1), Self.maximumWindow)
  }

  /// Queues a request for writing, waiting for room in the window first.
  @discardableResult
  private func send(_ request: EmulatorLinkRequest, owner: Owner, deadline: ContinuousClock.Instant)
    async throws -> UInt16
  {
    if outstanding.isEmpty { lastAnswer = .now }
    // A full window is drained to half before more is sent, so writes go out in batches rather
    // than a message per reply (each write and wake-up costs more than the bytes). A chase may
    // exceed the window by one: it is what frees a window full of lost requests.
    if outstanding.count >= window, !isChase(owner) {
      try await flush(deadline: deadline)
      while outstanding.count > window / 2 {
        try await pump(until: deadline, chasing: true)
      }
    }
    let seq = nextSeq
    nextSeq &+= 1
    if nextSeq == 0 { nextSeq = 1 }
    request.append(seq: seq, to: &writeBuffer)
    outstanding.append(Outstanding(seq: seq, type: request.type, owner: owner))
    if writeBuffer.count >= Self.writeBatch { try await flush(deadline: deadline) }
    return seq
  }

  private func isChase(_ owner: Owner) -> Bool {
    if case .chase = owner { return true }
    return false
  }

  private func flush(deadline: ContinuousClock.Instant) async throws {
    guard !writeBuffer.isEmpty else { return }
    let bytes = writeBuffer
    writeBuffer.removeAll(keepingCapacity: true)
    statistics.bytesSent += bytes.count
    try await link.write(bytes, deadline: deadline)
  }

  /// One request, awaited. Requests that repeat harmlessly are sent again if lost on the way.
  private func call(_ request: EmulatorLinkRequest, deadline: ContinuousClock.Instant) async throws
    -> [UInt8]
  {
    try await calls([request], deadline: deadline).first ?? []
  }

  /// Several requests sent back to back, then awaited in order; the first refusal is thrown.
  @discardableResult
  private func calls(_ requests: [EmulatorLinkRequest], deadline: ContinuousClock.Instant)
    async throws -> [[UInt8]]
  {
    var results: [[UInt8]] = []
    var attempt = 0
    while true {
      var seqs: [UInt16] = []
      for request in requests { seqs.append(try await send(request, owner: .call, deadline: deadline)) }
      try await flush(deadline: deadline)
      var lost = false
      results.removeAll()
      for (seq, request) in zip(seqs, requests) {
        while answers[seq] == nil {
          try await pump(until: deadline, chasing: true, waitingFor: request.type)
        }
        switch answers.removeValue(forKey: seq) {
        case .ok(let payload): results.append(payload)
        case .failed(let failure):
          for other in seqs { answers.removeValue(forKey: other) }
          throw RigError(
            .hardwareFault,
            "camera emulator on \(name) refused \(request.type.name): \(failure)")
        case .lost, nil: lost = true
        }
      }
      guard lost else { return results }
      for other in seqs { answers.removeValue(forKey: other) }
      attempt += 1
      let repeatable = requests.allSatisfy { ![.queue, .loadBegin, .loadData, .loadEnd, .free].contains($0.type) }
      guard repeatable, attempt < Self.maximumAttempts else {
        throw RigError(
          .hardwareFault,
          "camera emulator on \(name): \(requests.map(\.type.name).joined(separator: ", ")) lost on "
            + "the link; check the cable and the emulator's firmware")
      }
    }
  }

  /// Reads once and handles what came. With `chasing`, answers overdue by `chaseAfter` are
  /// chased with a SYNC so a lost request shows up. Past the deadline, throws `timedOut` (also
  /// when bytes keep coming but no answer does: a link full of garbage).
  private func pump(
    until deadline: ContinuousClock.Instant, chasing: Bool,
    waitingFor type: EmulatorLink.MessageType? = nil
  ) async throws {
    let now = ContinuousClock.now
    guard now < deadline else {
      let waiting = type?.name ?? outstanding.first?.type.name ?? "an answer"
      throw RigError(
        .timedOut,
        "camera emulator on \(name) did not answer \(waiting) in time "
          + "(\(outstanding.count) requests unanswered)")
    }
    if chasing { try await chaseIfOverdue(now: now, deadline: deadline) }
    _ = try await pumpOnce(until: chasing ? min(deadline, now + Self.chaseAfter) : deadline)
  }

  /// Requests unanswered for `chaseAfter` are chased with a SYNC, whose answer shows which were
  /// lost. When even the chase went unanswered, the emulator may hold half a message whose length
  /// field was damaged, swallowing everything sent since: zero bytes complete it (it then fails
  /// its CRC) and are skipped as noise between messages.
  private func chaseIfOverdue(now: ContinuousClock.Instant, deadline: ContinuousClock.Instant) async throws {
    guard !outstanding.isEmpty, now - lastAnswer >= Self.chaseAfter else { return }
    lastAnswer = now
    if outstanding.contains(where: { $0.type == .sync }) {
      let filler = (identity?.maxPayload ?? EmulatorLink.minimumPayload) + EmulatorLink.headerBytes
        + EmulatorLink.crcBytes
      writeBuffer.append(contentsOf: repeatElement(0, count: filler))
      statistics.resyncs += 1
    }
    try await send(.sync, owner: .chase, deadline: deadline)
    try await flush(deadline: deadline)
  }

  /// Handles one chunk from the link. False when the deadline passed with nothing read.
  private func pumpOnce(until deadline: ContinuousClock.Instant) async throws -> Bool {
    try await flush(deadline: deadline)
    guard let chunk = try await link.read(until: deadline) else {
      decoder.discardStale()
      return false
    }
    let bad = decoder.badMessages
    decoder.feed(chunk.bytes, at: chunk.arrival)
    while let message = decoder.next() { handle(EmulatorLinkDeviceMessage(message)) }
    statistics.damagedReplies += decoder.badMessages - bad
    return true
  }

  private func handle(_ message: EmulatorLinkDeviceMessage) {
    switch message {
    case .reply(let seq, _, let payload): answer(seq, .ok(payload))
    case .failure(let seq, let failure): answer(seq, .failed(failure))
    case .event(let event): record(event)
    case .notice(let code, _) where code == EmulatorLink.Notice.staleMessage: statistics.staleMessages += 1
    case .notice: statistics.notices += 1
    case .unexpected: break
    }
  }

  /// The emulator answers in order: every request before `seq` still unanswered was lost.
  private func answer(_ seq: UInt16, _ answer: Answer) {
    guard let index = outstanding.firstIndex(where: { $0.seq == seq }) else { return }
    lastAnswer = .now
    for lost in outstanding[..<index] {
      statistics.lostRequests += 1
      resolve(lost, .lost)
    }
    resolve(outstanding[index], answer)
    outstanding.removeFirst(index + 1)
  }

  private func resolve(_ request: Outstanding, _ answer: Answer) {
    switch request.owner {
    case .call:
      answers[request.seq] = answer
    case .chase:
      break
    case .upload(let id, let attempt, let role):
      guard let i = uploads.firstIndex(where: { $0.id == id }), uploads[i].attempt == attempt else {
        return
      }
      if case .ok(let payload) = answer {
        switch role {
        case .begin: uploads[i].begun = true
        case .data: break
        case .end:
          uploads[i].endAnswered = true
          uploads[i].confirmed = true
          estimatedFree = Int(EmulatorLinkFields(payload).u32(4))
          statistics.framesUploaded += 1
          statistics.frameBytesUploaded += uploads[i].frame.bytes.count
        }
      } else if role == .end {
        uploads[i].endAnswered = true
        uploads[i].failure = (role, answer)
      } else if uploads[i].failure == nil {
        uploads[i].failure = (role, answer)
      }
      while let first = uploads.first, first.confirmed { uploads.removeFirst() }
    }
  }

  private func record(_ e: EmulatorLinkEvent) {
    if e.lostBefore {
      statistics.eventGaps += 1
      append(.eventsLost(micros: e.micros))
    }
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
  }

  private func append(_ event: EmulatorEvent) {
    if events.count - eventHead >= Self.eventLimit { eventHead += 1 }
    events.append(event)
  }
}

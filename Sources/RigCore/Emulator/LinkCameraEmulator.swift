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
/// The parts, each its own file: the requests and their answers (`+Requests`, over an
/// `EmulatorRequestWindow`), the frame upload pipeline (`+Uploads`, over a `FrameUploadQueue`),
/// the events received (`EmulatorEventBuffer`), explicit slots for the self-test and the
/// benchmarks (`+Slots`), and what the host observed (`Statistics`).
///
/// One caller at a time: the runner's test session, or a command. The actor keeps its state
/// consistent across each await (every suspension is a link read or write, after which the state
/// is looked at afresh); two callers interleaving would interleave their requests. Memory is
/// bounded by the frames in flight (at most the window's worth).
public actor LinkCameraEmulator: CameraEmulator {
  /// Who awaits the answer to a request.
  enum Owner {
    /// A request a caller awaits; the answer goes to `answers`.
    case call
    /// A SYNC sent to flush out lost requests; its answer is not needed.
    case chase
    /// Part of a frame upload: its id and attempt, so answers to an abandoned attempt are ignored.
    case upload(id: Int, attempt: Int, part: FrameUploadQueue.Part)

    var isChase: Bool {
      if case .chase = self { return true }
      return false
    }
  }

  /// The link's name, for messages: its device path.
  public nonisolated let name: String
  let link: any SerialLink
  /// Every "now" of the driver: when an answer is overdue, when a deadline has passed.
  let hostClock: HostClock
  private nonisolated let capacity = Locked(1)
  var decoder = EmulatorLinkDecoder(maxPayload: EmulatorLink.minimumPayload)
  /// The emulator's HELLO, once connected.
  public private(set) var identity: EmulatorLinkHello?
  /// What the host has observed of the link.
  public internal(set) var statistics = Statistics()
  var window: EmulatorRequestWindow<Owner>
  /// Answers to `.call` requests, until their caller takes them.
  var answers: [UInt16: EmulatorLinkAnswer] = [:]
  var events = EmulatorEventBuffer()
  var uploads = FrameUploadQueue()
  /// Requests collected before they are written in one go.
  var writeBuffer: [UInt8] = []
  /// The emulator's largest free stretch of frame RAM, as last reported, less what was sent since.
  var estimatedFree = 0
  var setup = CameraSetup(format: .gray8, width: 96, height: 96)

  /// Bytes collected before they are written in one go.
  static let writeBatch = 64 * 1024
  /// An answer overdue this long is chased with a SYNC, which shows whether it was lost.
  static let chaseAfter: Duration = .milliseconds(250)
  /// Time allowed to re-upload a damaged frame from within `nextEvent`, whatever its deadline.
  static let recoveryTime: Duration = .seconds(2)
  /// Attempts at a request lost on the link before it fails.
  static var maximumAttempts: Int { FrameUploadQueue.maximumAttempts }

  /// A driver over `link`, reading time from `clock`. The handshake happens on first use, or
  /// with `connect(deadline:)`.
  public init(link: any SerialLink, clock: HostClock = .continuous) {
    self.link = link
    self.hostClock = clock
    name = link.name
    window = EmulatorRequestWindow(now: hostClock.now)
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
    window.removeAll()
    answers.removeAll()
    var lastError: RigError?
    while hostClock.now < deadline {
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
        window.resize(offered: hello.window)
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
    uploads.append(frame)
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
      if let event = events.next() { return event }
      if uploads.hasFailure {
        // A frame the link damaged after its enqueue returned: upload it again now, or the DUT
        // would wait for it for ever.
        try await drive(deadline: max(deadline, .now + Self.recoveryTime))
        continue
      }
      let now = hostClock.now
      if now >= deadline {
        lateReads += 1
        if lateReads > 64 { return nil }
      }
      try await chaseIfOverdue(now: now, deadline: max(deadline, now + Self.recoveryTime))
      let step = window.isEmpty ? deadline : min(deadline, now + Self.chaseAfter)
      if try await pumpOnce(until: step) { continue }
      if hostClock.now >= deadline { return nil }
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


  // MARK: - Connection

  static func aligned(_ n: Int) -> Int { (n + 3) & ~3 }

  func updateCapacity() {
    guard let hello = identity else { return }
    let bytes = setup.format.frameBytes(width: setup.width, height: setup.height) ?? setup.width * setup.height
    let fitting = hello.ram / max(Self.aligned(bytes), 1) - 1
    let value = max(1, min(fitting, hello.slots - 1, hello.queueDepth - 1))
    capacity.withLock { $0 = value }
  }

  /// The emulator's identity, after a handshake if there has been none yet.
  @discardableResult
  func ensureConnected(deadline: ContinuousClock.Instant) async throws -> EmulatorLinkHello {
    if let identity { return identity }
    return try await connect(deadline: deadline)
  }

  func requireConnected() throws -> EmulatorLinkHello {
    guard let identity else {
      throw RigError(.internal, "camera emulator on \(name) used before its handshake")
    }
    return identity
  }
}

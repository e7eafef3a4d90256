// SPDX-License-Identifier: Apache-2.0

/// The frames on their way to the emulator's play queue, and what the emulator said of each part
/// of their upload (`LinkCameraEmulator+Uploads` sends them).
///
/// Each frame goes up as LOAD_BEGIN, LOAD_DATA… and LOAD_END into the streaming slot, and is
/// kept until its LOAD_END is confirmed. An attempt damaged on the link is retried with every
/// frame behind it, so the play queue keeps the host's order; answers to an abandoned attempt
/// are ignored.
struct FrameUploadQueue {
  /// Which request of an upload an answer belongs to.
  enum Part {
    case begin, data, end
  }

  struct Upload {
    let id: Int
    let frame: EmulatorFrame
    /// Which attempt answers belong to: every retry of this frame or of one ahead of it, and every
    /// wait for room, starts a new one.
    var attempt = 0
    /// Attempts at this frame that the link damaged. Only these count towards
    /// `maximumAttempts`: a frame resent because one ahead of it was damaged, or one that waited
    /// for room, was not damaged itself.
    var damaged = 0
    /// BEGIN and DATA sent for the current attempt.
    var bodySent = false
    var endSent = false
    /// The emulator answered LOAD_END (the authoritative outcome of the attempt).
    var endAnswered = false
    var confirmed = false
    /// Ask for room (await LOAD_BEGIN) before sending data.
    var probe = false
    var begun: Bool?
    var failure: (part: Part, answer: EmulatorLinkAnswer)?
  }

  /// A frame whose LOAD_END the emulator confirmed.
  struct Confirmation {
    var frameBytes: Int
    /// The emulator's largest free stretch of frame RAM afterwards.
    var freeRAM: Int
  }

  /// What to do about a failed upload.
  enum Recovery: Equatable {
    /// Send it again, with every frame behind it (damage on the link).
    case retry
    /// Send it again once the emulator has room (LOAD_BEGIN refused for RAM).
    case waitForRoom
  }

  /// Attempts at a frame damaged on the link before the upload fails.
  static let maximumAttempts = 4

  /// Unconfirmed uploads, in the host's order.
  private(set) var uploads: [Upload] = []
  private var nextID = 0

  var isEmpty: Bool { uploads.isEmpty }
  var count: Int { uploads.count }
  var hasFailure: Bool { uploads.contains { $0.failure != nil } }
  subscript(i: Int) -> Upload {
    get { uploads[i] }
    set { uploads[i] = newValue }
  }

  /// Adds a frame behind the others.
  mutating func append(_ frame: EmulatorFrame) {
    uploads.append(Upload(id: nextID, frame: frame))
    nextID += 1
  }

  /// Where attempt `attempt` of upload `id` is now (answers remove confirmed uploads before it).
  func index(id: Int, attempt: Int) -> Int? {
    uploads.firstIndex { $0.id == id && $0.attempt == attempt }
  }

  mutating func removeAll() {
    uploads.removeAll()
  }

  /// The emulator answered `part` of attempt `attempt` of upload `id`. Returns the confirmation
  /// when it was a LOAD_END that queued the frame.
  mutating func resolve(id: Int, attempt: Int, part: Part, _ answer: EmulatorLinkAnswer) -> Confirmation? {
    guard let i = index(id: id, attempt: attempt) else { return nil }
    var confirmation: Confirmation?
    if case .ok(let payload) = answer {
      switch part {
      case .begin: uploads[i].begun = true
      case .data: break
      case .end:
        uploads[i].endAnswered = true
        uploads[i].confirmed = true
        confirmation = Confirmation(
          frameBytes: uploads[i].frame.bytes.count, freeRAM: Int(EmulatorLinkFields(payload).u32(4)))
      }
    } else if part == .end {
      uploads[i].endAnswered = true
      // LOAD_END's answer is the outcome, but a refused LOAD_BEGIN says why: the `state` the
      // LOAD_END then meets must not turn "no room" into damage on the link.
      if uploads[i].failure?.part != .begin { uploads[i].failure = (part, answer) }
    } else if uploads[i].failure == nil {
      uploads[i].failure = (part, answer)
    }
    while let first = uploads.first, first.confirmed { uploads.removeFirst() }
    return confirmation
  }

  /// Upload `i` failed: its attempt and every one behind it start again when the link damaged it
  /// or RAM was short; otherwise the emulator refused the frame, which is thrown. `emulator`
  /// names the emulator in messages; `capacity` is the queue capacity the host keeps to.
  mutating func recover(at i: Int, emulator: String, capacity: Int) throws -> Recovery? {
    guard let failure = uploads[i].failure else { return nil }
    let frame = uploads[i].frame
    let what = "frame \(frame.index) (\(frame.bytes.count) bytes)"
    let recovery: Recovery
    switch failure.answer {
    case .ok:
      return nil
    case .lost:
      recovery = .retry
    case .failed(let f):
      switch f.code {
      case .crcMismatch: recovery = .retry
      case .noRAM: recovery = .waitForRoom
      case .state where failure.part != .begin:
        // Data for a load the emulator abandoned (it lost the LOAD_BEGIN): send it all again.
        recovery = .retry
      case .queueFull:
        throw RigError(
          .hardwareFault,
          "camera emulator on \(emulator): queue full when \(what) was queued; keep at most "
            + "queueCapacity (\(capacity)) frames ahead of the DUT")
      default:
        throw RigError(.hardwareFault, "camera emulator on \(emulator) refused \(what): \(f)")
      }
    }
    if recovery == .retry { uploads[i].damaged += 1 }
    guard uploads[i].damaged < Self.maximumAttempts else {
      throw RigError(
        .hardwareFault,
        "camera emulator on \(emulator): \(what) was damaged on the link \(Self.maximumAttempts) times "
          + "(\(failure.answer.summary)); check the cable and the emulator's firmware")
    }
    for j in i..<uploads.count {
      uploads[j].attempt += 1
      uploads[j].bodySent = false
      uploads[j].endSent = false
      uploads[j].endAnswered = false
      uploads[j].begun = nil
      uploads[j].failure = nil
    }
    uploads[i].probe = recovery == .waitForRoom
    return recovery
  }
}

// SPDX-License-Identifier: Apache-2.0

/// Requests and their answers: writes batched within the window, reads handed to the decoder,
/// answers matched to requests in order, overdue ones chased.
extension LinkCameraEmulator {
  /// Queues a request for writing, waiting for room in the window first.
  @discardableResult
  func send(_ request: EmulatorLinkRequest, owner: Owner, deadline: ContinuousClock.Instant)
    async throws -> UInt16
  {
    // A full window is drained to half before more is sent, so writes go out in batches rather
    // than a message per reply (each write and wake-up costs more than the bytes). A chase may
    // exceed the window by one: it is what frees a window full of lost requests.
    if window.isFull, !owner.isChase {
      try await flush(deadline: deadline)
      while window.count > window.size / 2 {
        try await pump(until: deadline, chasing: true)
      }
    }
    let seq = window.numberRequest(request.type, owner: owner, now: hostClock.now)
    request.append(seq: seq, to: &writeBuffer)
    if writeBuffer.count >= Self.writeBatch { try await flush(deadline: deadline) }
    return seq
  }

  func flush(deadline: ContinuousClock.Instant) async throws {
    guard !writeBuffer.isEmpty else { return }
    let bytes = writeBuffer
    writeBuffer.removeAll(keepingCapacity: true)
    statistics.bytesSent += bytes.count
    try await link.write(bytes, deadline: deadline)
  }

  /// One request, awaited. Requests that repeat harmlessly are sent again if lost on the way.
  func call(_ request: EmulatorLinkRequest, deadline: ContinuousClock.Instant) async throws
    -> [UInt8]
  {
    try await calls([request], deadline: deadline).first ?? []
  }

  /// Several requests sent back to back, then awaited in order; the first refusal is thrown.
  @discardableResult
  func calls(_ requests: [EmulatorLinkRequest], deadline: ContinuousClock.Instant)
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
        switch try await awaitAnswer(seq, to: request.type, deadline: deadline) {
        case .ok(let payload): results.append(payload)
        case .failed(let failure):
          for other in seqs { answers.removeValue(forKey: other) }
          throw RigError(
            .hardwareFault,
            "camera emulator on \(name) refused \(request.type.name): \(failure)")
        case .lost: lost = true
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

  /// The answer to the `.call` request `seq`, read from the link until it comes.
  func awaitAnswer(
    _ seq: UInt16, to type: EmulatorLink.MessageType? = nil, deadline: ContinuousClock.Instant
  ) async throws -> EmulatorLinkAnswer {
    while answers[seq] == nil {
      try await pump(until: deadline, chasing: true, waitingFor: type)
    }
    return answers.removeValue(forKey: seq) ?? .lost
  }

  /// Reads once and handles what came. With `chasing`, answers overdue by `chaseAfter` are
  /// chased with a SYNC so a lost request shows up. Past the deadline, throws `timedOut` (also
  /// when bytes keep coming but no answer does: a link full of garbage).
  func pump(
    until deadline: ContinuousClock.Instant, chasing: Bool,
    waitingFor type: EmulatorLink.MessageType? = nil
  ) async throws {
    let now = hostClock.now
    guard now < deadline else {
      let waiting = type?.name ?? window.outstanding.first?.type.name ?? "an answer"
      throw RigError(
        .timedOut,
        "camera emulator on \(name) did not answer \(waiting) in time "
          + "(\(window.count) requests unanswered)")
    }
    if chasing { try await chaseIfOverdue(now: now, deadline: deadline) }
    _ = try await pumpOnce(until: chasing ? min(deadline, now + Self.chaseAfter) : deadline)
  }

  /// Requests unanswered for `chaseAfter` are chased with a SYNC, whose answer shows which were
  /// lost. When even the chase went unanswered, the emulator may hold half a message whose length
  /// field was damaged, swallowing everything sent since: zero bytes complete it (it then fails
  /// its CRC) and are skipped as noise between messages.
  func chaseIfOverdue(now: ContinuousClock.Instant, deadline: ContinuousClock.Instant) async throws {
    guard window.chaseDue(now: now, after: Self.chaseAfter) else { return }
    if window.awaits(.sync) {
      let filler = (identity?.maxPayload ?? EmulatorLink.minimumPayload) + EmulatorLink.headerBytes
        + EmulatorLink.crcBytes
      writeBuffer.append(contentsOf: repeatElement(0, count: filler))
      statistics.resyncs += 1
    }
    try await send(.sync, owner: .chase, deadline: deadline)
    try await flush(deadline: deadline)
  }

  /// Handles one chunk from the link. False when the deadline passed with nothing read.
  func pumpOnce(until deadline: ContinuousClock.Instant) async throws -> Bool {
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
    case .event(let event): if events.record(event) { statistics.eventGaps += 1 }
    case .notice(let code, _) where code == EmulatorLink.Notice.staleMessage: statistics.staleMessages += 1
    case .notice: statistics.notices += 1
    case .unexpected: break
    }
  }

  /// The emulator answers in order: every request before `seq` still unanswered was lost.
  private func answer(_ seq: UInt16, _ answer: EmulatorLinkAnswer) {
    guard let (lost, answered) = window.answer(seq, now: hostClock.now) else { return }
    for request in lost {
      statistics.lostRequests += 1
      resolve(request, .lost)
    }
    resolve(answered, answer)
  }

  private func resolve(_ request: EmulatorRequestWindow<Owner>.Request, _ answer: EmulatorLinkAnswer) {
    switch request.owner {
    case .call:
      answers[request.seq] = answer
    case .chase:
      break
    case .upload(let id, let attempt, let part):
      if let confirmed = uploads.resolve(id: id, attempt: attempt, part: part, answer) {
        estimatedFree = confirmed.freeRAM
        statistics.framesUploaded += 1
        statistics.frameBytesUploaded += confirmed.frameBytes
      }
    }
  }
}

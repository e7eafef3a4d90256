// SPDX-License-Identifier: Apache-2.0

/// Explicit slots, for the loop and hold modes, the self-test (`EmulatorSelfTest`) and the
/// benchmarks: frames loaded into numbered slots, queued by slot, freed by slot, and the link's
/// upload rate measured.
extension LinkCameraEmulator {
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
    let start = hostClock.now
    do {
      try await loadSlots(loads, freeFirst: true, deadline: deadline)
    } catch let error as RigError where error.code == .hardwareFault {
      throw RigError(.hardwareFault, "camera emulator on \(name): an upload failed while measuring: \(error.message)")
    }
    let elapsed = hostClock.now - start
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
        let seqs = try await sendLoad(loads[i], free: freeFirst || attempt > 0, chunk: chunk, deadline: deadline)
        sent.append((i, seqs))
      }
      try await flush(deadline: deadline)
      var again: [Int] = []
      var refusal: RigError?
      for (i, seqs) in sent {
        var lost = false
        var failure: EmulatorLinkFailure?
        var end: EmulatorLinkAnswer = .lost
        for seq in seqs {
          let answer = try await awaitAnswer(seq, deadline: deadline)
          end = answer
          switch answer {
          case .ok: break
          case .failed(let f): failure = failure ?? f
          case .lost: lost = true
          }
        }
        if case .ok(let payload) = end {
          replies[i] = payload
        } else if lost && !(loads[i].queue && end.isLost) {
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

  /// The requests of one explicit-slot load (a FREE of its slot first with `free`), sent within
  /// the window; their sequence numbers, in order.
  private func sendLoad(_ load: SlotLoad, free: Bool, chunk: Int, deadline: ContinuousClock.Instant)
    async throws -> [UInt16]
  {
    var seqs: [UInt16] = []
    if free { seqs.append(try await send(.free(slot: load.slot), owner: .call, deadline: deadline)) }
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
    return seqs
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
}

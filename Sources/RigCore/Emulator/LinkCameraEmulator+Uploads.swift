// SPDX-License-Identifier: Apache-2.0

/// The frame upload pipeline: frames sent into the streaming slot within the window, each
/// LOAD_END once every frame before it is confirmed, damaged attempts sent again in order
/// (`FrameUploadQueue` keeps their state).
extension LinkCameraEmulator {
  /// Data bytes per LOAD_DATA: the emulator's payload limit less the slot and offset, in whole
  /// 256-byte blocks when it allows.
  static func chunkBytes(_ hello: EmulatorLinkHello) -> Int {
    let room = max(hello.maxPayload, EmulatorLink.minimumPayload) - EmulatorLink.loadDataPrefix
    return room >= 512 ? room / 256 * 256 : room
  }

  /// Brings every upload forward: bodies sent, failures cured or thrown, each LOAD_END sent once
  /// every frame before it is confirmed.
  func drive(deadline: ContinuousClock.Instant) async throws {
    var i = 0
    while i < uploads.count {
      if uploads[i].failure != nil {
        if uploads[i].endSent && !uploads[i].endAnswered {
          // Only LOAD_END's answer says whether the frame was queued (a lost reply to a data
          // chunk the emulator did receive must not cause a second copy).
          try await flush(deadline: deadline)
          try await pump(until: deadline, chasing: true)
          i = 0
          continue
        }
        if try uploads.recover(at: i, emulator: name, capacity: queueCapacity) == .retry {
          statistics.retries += 1
        }
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
          owner: .upload(id: uploads[i].id, attempt: uploads[i].attempt, part: .end), deadline: deadline)
        uploads[i].endSent = true
      }
      i += 1
    }
    try await flush(deadline: deadline)
  }

  /// LOAD_BEGIN and the data of upload `i`. When RAM may be short, LOAD_BEGIN is answered first,
  /// and refused ones retried as the DUT frees room, until the deadline.
  func sendBody(at start: Int, deadline: ContinuousClock.Instant) async throws {
    let hello = try requireConnected()
    let id = uploads[start].id
    let attempt = uploads[start].attempt
    let frame = uploads[start].frame
    let length = frame.bytes.count
    // Where the upload is now: answers handled while waiting may remove confirmed ones before it.
    func index() -> Int? { uploads.index(id: id, attempt: attempt) }
    let begin = EmulatorLinkRequest.loadBegin(
      slot: EmulatorLink.streamSlot, format: setup.format, width: setup.width, height: setup.height,
      length: UInt32(length), crc: frame.crc32, tag: UInt32(truncatingIfNeeded: frame.index))
    if uploads[start].probe || Self.aligned(length) > estimatedFree {
      while true {
        try await send(begin, owner: .upload(id: id, attempt: attempt, part: .begin), deadline: deadline)
        try await flush(deadline: deadline)
        while let i = index(), uploads[i].begun == nil && uploads[i].failure == nil {
          try await pump(until: deadline, chasing: true)
        }
        guard let i = index() else { return }
        guard let failure = uploads[i].failure else { break }
        guard case .failed(let f) = failure.answer, f.code == .noRAM else { return }
        uploads[i].failure = nil
        uploads[i].begun = nil
        if hostClock.now >= deadline {
          throw RigError(
            .timedOut,
            "camera emulator on \(name): no room for frame \(frame.index) (\(length) bytes) "
              + "before the deadline; the DUT is not consuming frames")
        }
        // Room comes back when the DUT starts its next capture and drops the frame it held.
        _ = try await pumpOnce(until: min(deadline, .now + .milliseconds(2)))
      }
    } else {
      try await send(begin, owner: .upload(id: id, attempt: attempt, part: .begin), deadline: deadline)
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
        owner: .upload(id: id, attempt: attempt, part: .data), deadline: deadline)
      offset += n
    }
    if let i = index() { uploads[i].bodySent = true }
  }
}

// SPDX-License-Identifier: Apache-2.0
@testable import RigCore
import Testing

@Suite("emulator link: the state of frames being uploaded")
struct FrameUploadQueueTests {
  static func queue(_ n: Int) -> FrameUploadQueue {
    var q = FrameUploadQueue()
    for i in 0..<n { q.append(EmulatorFrame(index: i, bytes: [UInt8](repeating: UInt8(i), count: 64))) }
    return q
  }

  static func ended(freeRAM: UInt32) -> EmulatorLinkAnswer {
    var payload: [UInt8] = [1, 0, 0, 0]
    payload.appendLinkField(freeRAM)
    return .ok(payload)
  }

  static func refused(_ code: EmulatorLinkFailure.Code) -> EmulatorLinkAnswer {
    .failed(EmulatorLinkFailure(rawCode: code.rawValue, requestType: 0, text: code.name))
  }

  @Test("a confirmed LOAD_END reports the free RAM; confirmed frames leave from the front only")
  func confirmation() {
    var q = Self.queue(3)
    let second = q.resolve(id: 1, attempt: 0, part: .end, Self.ended(freeRAM: 1000))
    #expect(second?.freeRAM == 1000 && q.count == 3)  // frame 1 waits behind frame 0
    let begun = q.resolve(id: 0, attempt: 0, part: .begin, .ok([]))
    #expect(begun == nil && q[0].begun == true)
    let first = q.resolve(id: 0, attempt: 0, part: .end, Self.ended(freeRAM: 900))
    #expect(first?.frameBytes == 64 && q.count == 1 && q[0].id == 2)
  }

  @Test("damage on the link retries the frame and every frame behind it; old answers are ignored")
  func retry() throws {
    var q = Self.queue(3)
    for i in 0..<3 {
      q[i].bodySent = true
      q[i].endSent = true
    }
    _ = q.resolve(id: 1, attempt: 0, part: .data, .lost)
    _ = q.resolve(id: 1, attempt: 0, part: .end, Self.refused(.crcMismatch))
    #expect(q.hasFailure && q[1].endAnswered)
    let recovery = try q.recover(at: 1, emulator: "e", capacity: 4)
    #expect(recovery == .retry)
    #expect(q[0].attempt == 0 && q[0].endSent)
    #expect(q[1].attempt == 1 && q[2].attempt == 1 && !q[1].bodySent && !q[2].endSent && !q.hasFailure)
    // The answer to frame 2's first LOAD_END belongs to an abandoned attempt.
    let stale = q.resolve(id: 2, attempt: 0, part: .end, Self.ended(freeRAM: 1))
    #expect(stale == nil)
    #expect(q.index(id: 2, attempt: 1) == 2 && !q[2].confirmed)
  }

  @Test("no room: the upload waits for room, as often as needed, without counting an attempt")
  func noRoom() throws {
    var q = Self.queue(1)
    for _ in 0..<10 {
      _ = q.resolve(id: 0, attempt: q[0].attempt, part: .begin, Self.refused(.noRAM))
      let recovery = try q.recover(at: 0, emulator: "e", capacity: 1)
      #expect(recovery == .waitForRoom && q[0].probe)
    }
    // Sent unasked, the frame's data and LOAD_END meet `state` after the refusal: still no room.
    var unasked = Self.queue(1)
    _ = unasked.resolve(id: 0, attempt: 0, part: .begin, Self.refused(.noRAM))
    _ = unasked.resolve(id: 0, attempt: 0, part: .data, Self.refused(.state))
    _ = unasked.resolve(id: 0, attempt: 0, part: .end, Self.refused(.state))
    let recovery = try unasked.recover(at: 0, emulator: "e", capacity: 1)
    #expect(recovery == .waitForRoom)
  }

  @Test("only a frame's own damage counts: resends behind damaged frames and waits for room do not")
  func ownDamageOnly() throws {
    var q = Self.queue(6)
    // Frames 0…4 are each damaged once, in turn; frame 5 is resent behind every one of them.
    for i in 0..<5 {
      _ = q.resolve(id: i, attempt: q[0].attempt, part: .data, .lost)
      #expect(try q.recover(at: 0, emulator: "e", capacity: 8) == .retry)
      _ = q.resolve(id: i, attempt: q[0].attempt, part: .end, Self.ended(freeRAM: 1))
    }
    #expect(q.count == 1 && q[0].id == 5 && q[0].attempt == 5 && q[0].damaged == 0)
    for _ in 0..<6 {
      _ = q.resolve(id: 5, attempt: q[0].attempt, part: .begin, Self.refused(.noRAM))
      #expect(try q.recover(at: 0, emulator: "e", capacity: 8) == .waitForRoom)
    }
    // Its own first damage is retried, though it is on its twelfth attempt.
    _ = q.resolve(id: 5, attempt: q[0].attempt, part: .data, .lost)
    #expect(try q.recover(at: 0, emulator: "e", capacity: 8) == .retry)
    #expect(q[0].damaged == 1)
  }

  @Test("after four damaged attempts the upload fails, naming the frame and the cause")
  func attempts() throws {
    var q = Self.queue(1)
    for attempt in 0..<3 {
      _ = q.resolve(id: 0, attempt: attempt, part: .data, .lost)
      let recovery = try q.recover(at: 0, emulator: "e", capacity: 1)
      #expect(recovery == .retry)
    }
    _ = q.resolve(id: 0, attempt: 3, part: .data, .lost)
    let error = #expect(throws: RigError.self) { var q = q; _ = try q.recover(at: 0, emulator: "/dev/ttyACM1", capacity: 1) }
    #expect(error?.message.contains("frame 0 (64 bytes) was damaged on the link 4 times (a request was lost)") == true)
  }

  @Test("a refusal the link did not cause is thrown: a full queue names the capacity")
  func refusals() {
    var q = Self.queue(2)
    _ = q.resolve(id: 0, attempt: 0, part: .end, Self.refused(.queueFull))
    let full = #expect(throws: RigError.self) { var q = q; _ = try q.recover(at: 0, emulator: "e", capacity: 3) }
    #expect(full?.message.contains("keep at most queueCapacity (3) frames ahead") == true)
    var r = Self.queue(1)
    _ = r.resolve(id: 0, attempt: 0, part: .begin, Self.refused(.tooLarge))
    let large = #expect(throws: RigError.self) { var r = r; _ = try r.recover(at: 0, emulator: "e", capacity: 3) }
    #expect(large?.message.contains("refused frame 0 (64 bytes): too_large") == true)
    // A LOAD_DATA refused for state (the emulator lost the LOAD_BEGIN) is damage, retried.
    var s = Self.queue(1)
    _ = s.resolve(id: 0, attempt: 0, part: .data, Self.refused(.state))
    let recovery = try? s.recover(at: 0, emulator: "e", capacity: 3)
    #expect(recovery == .retry)
  }
}

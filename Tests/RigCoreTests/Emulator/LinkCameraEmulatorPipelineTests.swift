// SPDX-License-Identifier: Apache-2.0
@testable import RigCore
import RigTestSupport
import Testing

/// The link driver's window and upload pipeline against an in-memory emulator: what reaches the
/// play queue, in which order, when requests are lost on the way.
@Suite("emulator link driver over an in-memory link", .timeLimit(.minutes(TestTime.minutes(1))))
struct LinkCameraEmulatorPipelineTests {
  static let setup = CameraSetup(format: .gray8, width: 96, height: 96)

  static func frames(_ n: Int, bytes: Int = 3000) -> [EmulatorFrame] {
    (0..<n).map { i in EmulatorFrame(index: i, bytes: (0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ i) }) }
  }

  static func expected(_ frames: [EmulatorFrame]) -> [InMemoryEmulatorLink.Served] {
    frames.map { .init(tag: UInt32($0.index), crc: $0.crc32) }
  }

  static func ready(_ link: InMemoryEmulatorLink) async throws -> LinkCameraEmulator {
    let camera = LinkCameraEmulator(link: link)
    try await camera.reset(deadline: .now + .seconds(5))
    try await camera.configure(setup, deadline: .now + .seconds(5))
    return camera
  }

  @Test("frames reach the play queue once each, in the host's order, within the window")
  func order() async throws {
    let link = InMemoryEmulatorLink(window: 4)
    let camera = try await Self.ready(link)
    let frames = Self.frames(12)
    for frame in frames { try await camera.enqueue(frame, deadline: .now + .seconds(5)) }
    try await camera.settleUploads(deadline: .now + .seconds(5))
    #expect(link.queued == Self.expected(frames))
    let stats = await camera.statistics
    #expect(stats.framesUploaded == 12 && stats.frameBytesUploaded == 36_000 && stats.retries == 0)
    // 3000 bytes in chunks of 768 (payload 1024 less the prefix, whole 256-byte blocks).
    #expect(link.count(.loadData) == 12 * 4)
  }

  @Test("a lost LOAD_DATA: that frame and those behind it go again, the queue keeps the order")
  func lostData() async throws {
    let link = InMemoryEmulatorLink(window: 8)
    link.lose(.init(type: .loadData, nth: 10))
    let camera = try await Self.ready(link)
    let frames = Self.frames(6)
    for frame in frames { try await camera.enqueue(frame, deadline: .now + .seconds(5)) }
    try await camera.settleUploads(deadline: .now + .seconds(5))
    #expect(link.lost.count == 1)
    #expect(link.queued == Self.expected(frames))
    let stats = await camera.statistics
    #expect(stats.retries == 1 && stats.lostRequests == 1 && stats.framesUploaded == 6)
  }

  @Test("a lost LOAD_END, the last request sent, is found by a chase and the frame sent again")
  func lostLastRequest() async throws {
    let link = InMemoryEmulatorLink()
    link.lose(.init(type: .loadEnd, nth: 2))
    let camera = try await Self.ready(link)
    let frames = Self.frames(2)
    for frame in frames { try await camera.enqueue(frame, deadline: .now + .seconds(5)) }
    try await camera.settleUploads(deadline: .now + .seconds(5))
    #expect(link.queued == Self.expected(frames))
    #expect(link.count(.sync) >= 1)
    #expect(await camera.statistics.retries == 1)
  }

  @Test("no room for a frame: LOAD_BEGIN is asked first until the emulator has room")
  func waitsForRoom() async throws {
    let link = InMemoryEmulatorLink()
    let camera = try await Self.ready(link)
    link.refuseRoom(times: 3)
    let frames = Self.frames(1)
    try await camera.enqueue(frames[0], deadline: .now + .seconds(5))
    try await camera.settleUploads(deadline: .now + .seconds(5))
    #expect(link.queued == Self.expected(frames))
    // Sent with its data at first; then asked alone, refused twice more, then sent with its data.
    #expect(link.count(.loadBegin) == 4 && link.count(.loadData) == 8)
    // The refusal of LOAD_BEGIN, not the `state` its LOAD_END met after it, decides: room, not damage.
    let stats = await camera.statistics
    #expect(stats.retries == 0, "\(stats)")
  }

  @Test("room that never comes ends the upload at its deadline, naming the DUT")
  func noRoomBeforeDeadline() async throws {
    let link = InMemoryEmulatorLink(ram: 7000)
    let camera = try await Self.ready(link)
    let frames = Self.frames(3)
    let error = await #expect(throws: RigError.self) {
      for frame in frames { try await camera.enqueue(frame, deadline: .now + .milliseconds(300)) }
      try await camera.settleUploads(deadline: .now + .milliseconds(300))
    }
    // Refused for room until the deadline (or still awaiting the last refusal when it passed).
    #expect(error?.code == .timedOut, "\(error?.message ?? "")")
    #expect(link.queued == Self.expected(Array(frames.prefix(2))))
  }

  @Test("a frame damaged after its enqueue returned is sent again from within nextEvent")
  func recoveryInNextEvent() async throws {
    let link = InMemoryEmulatorLink(dutReads: true)
    link.lose(.init(type: .loadData, nth: 2))
    let camera = try await Self.ready(link)
    let frames = Self.frames(3)
    for frame in frames { try await camera.enqueue(frame, deadline: .now + .seconds(5)) }
    var reads: [InMemoryEmulatorLink.Served] = []
    while reads.count < 3, let event = try await camera.nextEvent(until: .now + .seconds(5)) {
      if case .readDone(_, let index, _, let crc, _) = event { reads.append(.init(tag: UInt32(index), crc: crc)) }
    }
    #expect(reads == Self.expected(frames))
    #expect(link.served == Self.expected(frames))
  }

  @Test("an explicit-slot load that lost a request is loaded again after a FREE")
  func slotLoadAgain() async throws {
    let link = InMemoryEmulatorLink()
    let camera = try await Self.ready(link)
    link.lose(.init(type: .loadData, nth: 1))
    let bytes = (0..<2000).map { UInt8(truncatingIfNeeded: $0) }
    try await camera.load(bytes, slot: 3, tag: 9, queue: false, deadline: .now + .seconds(5))
    #expect(link.count(.free) == 1 && link.count(.loadEnd) == 2)
    #expect(try await camera.queue(slots: [3], deadline: .now + .seconds(5)) == 1)
    #expect(link.queued == [.init(tag: 9, crc: CRC32.checksum(bytes))])
    // A wrong CRC is the emulator's verdict, not damage: thrown, not retried.
    let error = await #expect(throws: RigError.self) {
      try await camera.load(bytes, slot: 4, tag: 1, queue: false, crc: 1, deadline: .now + .seconds(5))
    }
    #expect(error?.message.contains("crc_mismatch") == true)
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigSimulator
import RigTestSupport
import Testing

/// The host driver against the C device side, with a virtual DUT reading what it serves.
@Suite("Link camera emulator (host driver)", .timeLimit(.minutes(TestTime.minutes(1))))
struct LinkCameraEmulatorTests {
  static let gray96 = CameraSetup(format: .gray8, width: 96, height: 96)

  /// Streams `frames` the way the runner does: at most `queueCapacity` ahead of the captures the
  /// emulator reports; returns the events seen.
  static func stream(
    _ frames: [[UInt8]], through camera: LinkCameraEmulator, setup: CameraSetup = gray96,
    timeout: Duration = .seconds(20)
  ) async throws -> [EmulatorEvent] {
    let deadline = ContinuousClock.now + timeout
    try await camera.reset(deadline: deadline)
    try await camera.configure(setup, deadline: deadline)
    var events: [EmulatorEvent] = []
    var sent = 0
    var captured = 0
    var read = 0
    while read < frames.count {
      while sent < frames.count && sent - captured < camera.queueCapacity {
        try await camera.enqueue(EmulatorFrame(index: sent, bytes: frames[sent]), deadline: deadline)
        sent += 1
      }
      guard let event = try await camera.nextEvent(until: deadline) else {
        throw RigError(.timedOut, "no event before the deadline: \(sent) sent, \(captured) captured, \(read) read")
      }
      events.append(event)
      switch event {
      case .captureDone(_, let index, _, _): captured = max(captured, index + 1)
      case .readDone, .readAbandoned: read += 1
      default: break
      }
    }
    return events
  }

  /// `n` distinct frames of `bytes` bytes.
  static func frames(_ n: Int, bytes: Int = 9216) -> [[UInt8]] {
    (0..<n).map { i in
      var frame = testFrame(bytes, seed: UInt8(truncatingIfNeeded: i))
      frame[0] = UInt8(truncatingIfNeeded: i >> 8)
      return frame
    }
  }

  @Test("handshake: the emulator's identity and a capacity for the configured frame size")
  func handshake() async throws {
    let emulator = try SimulatedEmulator(pseudoTerminal: false, readsFrames: false)
    let camera = LinkCameraEmulator(link: try #require(emulator.link))
    let hello = try await camera.connect(deadline: TestTime.deadline(in: .seconds(2)))
    #expect(hello.name == "rig simulated emulator 1.0" && hello.ram == 256 * 1024)
    try await camera.configure(Self.gray96, deadline: TestTime.deadline(in: .seconds(1)))
    #expect(camera.queueCapacity == 27)
    try await camera.configure(.init(format: .rgb565be, width: 320, height: 240), deadline: TestTime.deadline(in: .seconds(1)))
    #expect(camera.queueCapacity == 1)
    await emulator.close()
  }

  @Test("lockstep: every frame is read once, in order, with the CRC the host sent")
  func lockstep() async throws {
    let emulator = try SimulatedEmulator(pseudoTerminal: false, readsFrames: true)
    let camera = LinkCameraEmulator(link: try #require(emulator.link))
    let frames = Self.frames(300)
    let events = try await Self.stream(frames, through: camera)
    let reads = events.compactMap { e -> (Int, UInt32)? in
      if case .readDone(_, let index, _, let crc, _) = e { return (index, crc) }
      return nil
    }
    #expect(reads.map(\.0) == Array(0..<300))
    #expect(reads.map(\.1) == frames.map { CRC32.checksum($0) })
    #expect(emulator.framesRead.map(\.crc32) == frames.map { CRC32.checksum($0) })
    let stats = await camera.statistics
    #expect(stats.framesUploaded == 300 && stats.retries == 0 && stats.lostRequests == 0)
    await emulator.close()
  }

  @Test("QVGA RGB565 frames, one fitting beside the one the DUT holds, wait for room")
  func largeFrames() async throws {
    let emulator = try SimulatedEmulator(pseudoTerminal: false, readsFrames: true)
    let camera = LinkCameraEmulator(link: try #require(emulator.link))
    let frames = Self.frames(8, bytes: 153_600)
    _ = try await Self.stream(frames, through: camera, setup: .init(format: .rgb565be, width: 320, height: 240))
    #expect(emulator.framesRead.map(\.crc32) == frames.map { CRC32.checksum($0) })
    await emulator.close()
  }

  @Test("a fault aimed at one frame is applied to that frame only, and reported with it")
  func aimedFault() async throws {
    let emulator = try SimulatedEmulator(pseudoTerminal: false, readsFrames: true)
    let camera = LinkCameraEmulator(link: try #require(emulator.link))
    let frames = Self.frames(6, bytes: 1000)
    try await camera.reset(deadline: TestTime.deadline(in: .seconds(1)))
    try await camera.configure(Self.gray96, deadline: TestTime.deadline(in: .seconds(1)))
    try await camera.inject(.truncate, mode: .once, parameter: 100, frame: 3, deadline: TestTime.deadline(in: .seconds(1)))
    for (i, f) in frames.enumerated() {
      try await camera.enqueue(EmulatorFrame(index: i, bytes: f), deadline: TestTime.deadline(in: .seconds(1)))
    }
    var faulted: [Int] = []
    var readCRCs: [Int: UInt32] = [:]
    while readCRCs.count < 6, let e = try await camera.nextEvent(until: TestTime.deadline(in: .seconds(2))) {
      if case .frameFaulted(_, let index, let faults, _, _) = e, faults == [.truncate] { faulted.append(index) }
      if case .readDone(_, let index, _, let crc, _) = e { readCRCs[index] = crc }
    }
    #expect(faulted == [3])
    var truncated = frames[3]
    for i in 100..<truncated.count { truncated[i] = 0 }
    #expect(readCRCs[3] == CRC32.checksum(truncated))
    #expect(readCRCs[2] == CRC32.checksum(frames[2]))
    await emulator.close()
  }

  @Test("damage on the way to the emulator (fixed seed): frames are uploaded again, order kept")
  func outgoingDamage() async throws {
    let emulator = try SimulatedEmulator(pseudoTerminal: false, readsFrames: true)
    let link = DamagingLink(try #require(emulator.link), seed: 7, damage: .init(outgoing: 0.05))
    let camera = LinkCameraEmulator(link: link)
    let frames = Self.frames(200)
    _ = try await Self.stream(frames, through: camera, timeout: .seconds(40))
    #expect(link.damaged > 0)
    #expect(await camera.statistics.retries > 0)
    #expect(emulator.framesRead.map(\.crc32) == frames.map { CRC32.checksum($0) })
    await emulator.close()
  }

  @Test("damage both ways (fixed seed, many rounds) never crashes or hangs the driver")
  func damageBothWays() async throws {
    let emulator = try SimulatedEmulator(pseudoTerminal: false, readsFrames: true)
    let link = DamagingLink(
      try #require(emulator.link), seed: 0xBAD, damage: .init(outgoing: 0.2, incoming: 0.2))
    let camera = LinkCameraEmulator(link: link)
    var outcomes: [String] = []
    for round in 0..<8 {
      let start = ContinuousClock.now
      do {
        _ = try await Self.stream(Self.frames(20, bytes: 3000), through: camera, timeout: .seconds(2))
        outcomes.append("ok")
      } catch let error as RigError {
        // Lost events leave the caller waiting for reads it never hears of: a timeout, not a hang.
        outcomes.append(error.code.rawValue)
      }
      #expect(ContinuousClock.now - start < TestTime.scaled(.seconds(10)), "round \(round) did not end near its deadline")
    }
    #expect(link.damaged > 20, "\(outcomes)")
    // Healed, the same driver works again: nothing was left wedged.
    link.heal()
    let frames = Self.frames(30)
    let before = emulator.framesRead.count
    _ = try await Self.stream(frames, through: camera)
    #expect(Array(emulator.framesRead.dropFirst(before).suffix(30).map(\.crc32)) == frames.map { CRC32.checksum($0) })
    await emulator.close()
  }

  @Test("a device answering only garbage is reported as not an emulator, within the deadline")
  func garbageDevice() async throws {
    let camera = LinkCameraEmulator(link: GarbageLink(seed: 3))
    let start = ContinuousClock.now
    await #expect(throws: RigError.self) {
      try await camera.connect(deadline: TestTime.deadline(in: .seconds(1)))
    }
    // It ends soon after its deadline instead of reading garbage for ever (generous: CI is busy).
    #expect(ContinuousClock.now - start < TestTime.scaled(.seconds(10)))
  }
}

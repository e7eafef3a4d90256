// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigHardware
import RigSimulator
import RigTestSupport
import Testing

/// A loaded host: the writer of the emulator link is put off the CPU in the middle of a message
/// for longer than the emulator waits for the rest (`EmulatorLink.staleAfter`), so the emulator
/// drops the half it has. A run must not be lost to that: the driver uploads again what was lost.
@Suite("emulator link: a host that pauses mid-message", .timeLimit(.minutes(TestTime.minutes(1))))
struct EmulatorLinkPauseTests {
  /// Writes pass through whole, except every `every`-th write of at least 1 KiB: its first half
  /// goes out, then nothing for `pause`, then the rest.
  final class PausingLink: SerialLink {
    private let inner: any SerialLink
    private let every: Int
    private let pause: Duration
    private let writes = Locked((count: 0, paused: 0))

    init(_ inner: any SerialLink, every: Int, pause: Duration = .milliseconds(400)) {
      self.inner = inner
      self.every = every
      self.pause = pause
    }

    var name: String { inner.name }
    var pauses: Int { writes.withLock { $0.paused } }

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
      let pausing = writes.withLock { w -> Bool in
        guard bytes.count >= 1024 else { return false }
        w.count += 1
        guard w.count % every == 0 else { return false }
        w.paused += 1
        return true
      }
      guard pausing else { return try await inner.write(bytes, deadline: deadline) }
      try await inner.write(Array(bytes[..<(bytes.count / 2)]), deadline: deadline)
      try await Task.sleep(for: pause)
      try await inner.write(Array(bytes[(bytes.count / 2)...]), deadline: deadline)
    }

    func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
      try await inner.read(until: deadline)
    }
    func discardInput() { inner.discardInput() }
    func close() async { await inner.close() }
  }

  @Test("rig emulator selftest passes every check when the host pauses mid-message")
  func selfTestSurvivesPauses() async throws {
    let emulator = try SimulatedEmulator(pseudoTerminal: true, readsFrames: true)
    let tty = try #require(emulator.devicePath)
    let link = PausingLink(try TermiosSerialLink(path: tty, baud: 115_200), every: 4)
    let camera = LinkCameraEmulator(link: link)
    var steps: [String] = []
    let report = try await EmulatorSelfTest.run(camera, frames: 24) { step in
      steps.append("\(step.passed.map { $0 ? "ok" : "FAIL" } ?? "skip") \(step.name): \(step.detail)")
    }
    #expect(link.pauses >= 3, "the host paused mid-message")
    let stats = await camera.statistics
    #expect(stats.lostRequests > 0, "the emulator dropped what it had of the paused messages")
    #expect(report.passed, "\(steps.joined(separator: "\n"))")
    #expect(report.throughput.map(\.frames) == [24, 5])
    await link.close()
    await emulator.close()
  }

  @Test("frames streamed to a reading DUT all arrive, in order, when the host pauses mid-message")
  func streamSurvivesPauses() async throws {
    let emulator = try SimulatedEmulator(pseudoTerminal: true, readsFrames: true)
    let tty = try #require(emulator.devicePath)
    let link = PausingLink(try TermiosSerialLink(path: tty, baud: 115_200), every: 4)
    let camera = LinkCameraEmulator(link: link)
    let deadline = ContinuousClock.now + .seconds(30)
    try await camera.reset(deadline: deadline)
    try await camera.configure(CameraSetup(format: .gray8, width: 96, height: 96), deadline: deadline)
    let frames = (0..<24).map { i in (0..<9216).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ i) } }
    var sent = 0
    var read: [Int] = []
    while read.count < frames.count {
      while sent < frames.count && sent - read.count < camera.queueCapacity {
        try await camera.enqueue(EmulatorFrame(index: sent, bytes: frames[sent]), deadline: deadline)
        sent += 1
      }
      guard let event = try await camera.nextEvent(until: deadline) else { break }
      if case .readDone(_, let index, _, _, _) = event { read.append(index) }
    }
    #expect(link.pauses >= 3)
    #expect(read == Array(0..<24))
    #expect(emulator.framesRead.map(\.crc32) == frames.map { CRC32.checksum($0) })
    await link.close()
    await emulator.close()
  }
}

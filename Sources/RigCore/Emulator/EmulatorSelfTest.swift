// SPDX-License-Identifier: Apache-2.0

/// Checks a camera emulator over its link (`rig emulator selftest`): the handshake, test
/// patterns uploaded and confirmed by their CRC, a damaged upload refused, read-back of the
/// patterns by a DUT when one is reading, clean link counters, and the upload rate for 96×96
/// gray and QVGA RGB565 frames.
public enum EmulatorSelfTest {
  /// One check and what it found; `passed` nil means it could not run here (skipped).
  public struct Step: Sendable {
    public var name: String
    public var passed: Bool?
    public var detail: String
  }

  /// Upload rate for one frame size.
  public struct Throughput: Sendable {
    public var label: String
    public var frameBytes: Int
    public var frames: Int
    public var seconds: Double
    public var bytesPerSecond: Double { Double(frameBytes * frames) / max(seconds, 1e-9) }
    public var framesPerSecond: Double { Double(frames) / max(seconds, 1e-9) }
  }

  public struct Report: Sendable {
    public var steps: [Step] = []
    public var throughput: [Throughput] = []
    /// Every check that ran passed.
    public var passed: Bool { steps.allSatisfy { $0.passed != false } }
  }

  /// The patterns loaded: 96×96 gray8, each recognisable when read back.
  public static let patterns: [(name: String, bytes: [UInt8])] = [
    ("ramp", (0..<9216).map { UInt8(truncatingIfNeeded: $0) }),
    ("checkerboard", (0..<9216).map { (($0 % 96) / 8 + ($0 / 96) / 8) % 2 == 0 ? 0x10 : 0xF0 }),
    ("noise", {
      var x: UInt32 = 0x1234_5678
      return (0..<9216).map { _ in
        x ^= x << 13
        x ^= x >> 17
        x ^= x << 5
        return UInt8(truncatingIfNeeded: x)
      }
    }()),
    ("constant", [UInt8](repeating: 0x5A, count: 9216)),
  ]

  /// Runs every check; `step` is told of each as it finishes. Throws only when the emulator
  /// cannot be reached at all.
  public static func run(
    _ camera: LinkCameraEmulator, frames: Int = 200, timeout: Duration = .seconds(10),
    readBackWithin: Duration = .seconds(1), step: (Step) -> Void = { _ in }
  ) async throws -> Report {
    var report = Report()
    func record(_ name: String, _ passed: Bool?, _ detail: String) {
      let s = Step(name: name, passed: passed, detail: detail)
      report.steps.append(s)
      step(s)
    }
    let deadline = { camera.hostClock.now + timeout }

    let hello = try await camera.connect(deadline: deadline())
    let formats = PixelFormat.allCases.filter { hello.supports($0) }.map(\.rawValue).joined(separator: ", ")
    record(
      "handshake", true,
      "\(hello.name): protocol \(hello.version), \(hello.variantName), \(hello.ram / 1024) KiB frame RAM, "
        + "frames up to \(hello.maxFrame) bytes, \(hello.slots) slots, queue \(hello.queueDepth), "
        + "window \(hello.window), payload \(hello.maxPayload) bytes; formats \(formats)")
    let hostStart = camera.hostClock.now
    let emulatorStart = try await camera.clock(deadline: deadline())

    try await camera.reset(deadline: deadline())
    // Lockstep: each pattern is served once, so a reading DUT makes exactly one read event per
    // pattern (a loop would flood the event stream as fast as the DUT reads).
    try await camera.configure(
      CameraSetup(format: .gray8, width: 96, height: 96, mode: .lockstep), deadline: deadline())
    let before = try await camera.linkStatus(deadline: deadline())

    // Patterns: the emulator checks each against the CRC announced with it.
    do {
      for (slot, pattern) in patterns.enumerated() {
        try await camera.load(pattern.bytes, slot: UInt8(slot), tag: UInt32(slot), queue: false, deadline: deadline())
      }
      record(
        "test patterns", true,
        "\(patterns.count) patterns of 9,216 bytes (\(patterns.map(\.name).joined(separator: ", "))) loaded; "
          + "the emulator confirmed every CRC")
    } catch let error as RigError {
      record("test patterns", false, error.message)
    }

    // A frame announced with the wrong CRC must be refused.
    do {
      try await camera.load(
        patterns[0].bytes, slot: 5, tag: 99, queue: false, crc: CRC32.checksum(patterns[0].bytes) ^ 1,
        deadline: deadline())
      record("damaged upload refused", false, "a frame with a wrong CRC was accepted")
    } catch let error as RigError where error.message.contains("crc_mismatch") {
      record("damaged upload refused", true, "a frame announced with a wrong CRC was refused (crc_mismatch)")
    } catch let error as RigError {
      record("damaged upload refused", false, "refused, but not for its CRC: \(error.message)")
    }

    // Read-back: only a DUT reading the FIFO can show what the emulator serves.
    try await camera.queue(slots: patterns.indices.map { UInt8($0) }, deadline: deadline())
    var read: [Int: UInt32] = [:]
    let until = camera.hostClock.now + readBackWithin
    while read.count < patterns.count, let event = try await camera.nextEvent(until: until) {
      if case .readDone(_, let index, _, let crc, _) = event { read[index] = crc }
    }
    if read.isEmpty {
      record("read-back", nil, "no DUT read a frame within \(readBackWithin): skipped (attach a DUT, or use --rig with a simulated rig)")
    } else {
      let wrong = read.filter { patterns.indices.contains($0.key) && $0.value != CRC32.checksum(patterns[$0.key].bytes) }
      record(
        "read-back", wrong.isEmpty && read.count == patterns.count,
        wrong.isEmpty
          ? "the DUT read \(read.count) of \(patterns.count) patterns with the CRCs loaded"
          : "patterns read with other CRCs: \(wrong.keys.sorted().map { patterns[$0].name }.joined(separator: ", "))")
    }
    try await camera.reset(deadline: deadline())

    // Upload rate, without a DUT in the way.
    for (label, bytes, count) in [("96×96 gray8", 9216, frames), ("QVGA RGB565", 153_600, max(frames / 10, 5))]
    where bytes <= hello.maxFrame {
      let elapsed = try await camera.measureUploads(frameBytes: bytes, count: count, deadline: camera.hostClock.now + timeout * 3)
      report.throughput.append(Throughput(label: label, frameBytes: bytes, frames: count, seconds: elapsed.seconds))
    }

    let after = try await camera.linkStatus(deadline: deadline())
    let damaged = after.rxBadMessages - before.rxBadMessages
    let stats = await camera.statistics
    // A request lost because the host paused in the middle of it (the emulator dropped the half
    // it had after 100 ms: a loaded host) says nothing about the link; one lost otherwise does.
    let unexplained = max(0, stats.lostRequests - stats.staleMessages)
    let paused = stats.staleMessages == 0 ? "" : " (\(stats.staleMessages) dropped half-sent by a paused host)"
    record(
      "link counters",
      damaged == 0 && after.eventsDropped == before.eventsDropped && unexplained == 0,
      "\(after.rxMessages - before.rxMessages) messages received, \(damaged) damaged, "
        + "\(after.eventsDropped - before.eventsDropped) events dropped, \(stats.lostRequests) requests lost"
        + "\(paused), \(stats.retries) frames re-sent")

    let hostMicros = (camera.hostClock.now - hostStart).seconds * 1e6
    let emulatorMicros = Double(try await camera.clock(deadline: deadline()) &- emulatorStart)
    let ppm = hostMicros > 0 ? (emulatorMicros - hostMicros) / hostMicros * 1e6 : 0
    record(
      "clock", true,
      "emulator clock ran \(MetricFormat.number((emulatorMicros / 1000).rounded() / 1000)) s while the host's ran "
        + "\(MetricFormat.number((hostMicros / 1000).rounded() / 1000)) s (\(Int(ppm.rounded())) ppm, "
        + "including the round trips)")
    return report
  }
}

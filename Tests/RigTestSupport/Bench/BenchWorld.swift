// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The scripted bench's state: the supply, the DUT's firmware as a small state machine, the
/// emulator's queue, and a timeline of what the DUT will do next. Changed only under the bench's
/// lock, by the runner's calls; time moves only through `run(until:)` and `step(until:)`.
struct BenchWorld {
  typealias Instant = ContinuousClock.Instant

  struct DUT {
    enum Mode { case off, booting, booted, hung }
    var mode = Mode.off
    /// This boot's nonce, once `hello` set it; 0 before.
    var nonce: UInt32 = 0
    /// A nonce of an earlier boot, for stale records.
    var earlierNonce: UInt32?
    var running = false
    var sequence: UInt32 = 0
    /// A capture is waiting for the host to queue a frame (lockstep).
    var waitingForFrame = false
    /// A record held back to be sent after the next one.
    var heldBack: (message: TelemetryMessage, index: Int)?
  }

  struct Camera {
    var capacity: Int
    var queue: [EmulatorFrame] = []
    var events: [EmulatorEvent] = []
    var setup: CameraSetup?
    var armed: [EmulatorFaultKind] = []
    var status = EmulatorStatus()
  }

  private enum Action {
    /// Bytes the DUT prints; `reported` is the frame whose record they carry.
    case print([UInt8], reported: Int?)
    case boot(resetCause: String)
    case capture
  }

  private struct Scheduled {
    var time: Instant
    var action: Action
  }

  let script: DUTScript
  let origin: Instant
  var observations: [BenchObservation] = []
  var boots = 0
  var dut = DUT()
  var camera: Camera
  /// What the DUT printed and the host has not read yet.
  var console: [SerialChunk] = []
  /// In time order; equal times in the order they were scheduled.
  private var timeline: [Scheduled] = []
  private var cancelFired = false
  private var cancelRequested = false

  init(script: DUTScript, origin: Instant, queueCapacity: Int) {
    self.script = script
    self.origin = origin
    camera = Camera(capacity: queueCapacity)
  }

  // MARK: Time

  /// Does everything due by `deadline`, moving the clock along.
  mutating func run(until deadline: Instant, clock: TestClock) {
    while step(until: deadline, clock: clock) {}
  }

  /// Does the next thing due by `deadline`, moving the clock to it; false when nothing is.
  mutating func step(until deadline: Instant, clock: TestClock) -> Bool {
    guard let next = timeline.first, next.time <= deadline else { return false }
    timeline.removeFirst()
    clock.advance(to: next.time)
    let now = max(clock.now, next.time)
    switch next.action {
    case .print(let bytes, let reported):
      console.append(SerialChunk(bytes: bytes, arrival: now))
      if let reported { observe(.reported(reported)) }
    case .boot(let cause):
      boot(cause: cause, now: now)
    case .capture:
      capture(now: now)
    }
    return true
  }

  private mutating func schedule(_ action: Action, at time: Instant) {
    let index = timeline.firstIndex { $0.time > time } ?? timeline.count
    timeline.insert(Scheduled(time: time, action: action), at: index)
  }

  private mutating func print(_ record: TelemetryRecord, nonce: UInt32, at time: Instant, reported: Int? = nil) {
    let message = TelemetryMessage(nonce: nonce, record: record)
    schedule(.print(TelemetryEncoder.encode(message), reported: reported), at: time)
  }

  /// Raw bytes on the console at `time`, whatever state the DUT is in.
  mutating func printRaw(_ bytes: [UInt8], at time: Instant) {
    schedule(.print(bytes, reported: nil), at: time)
  }

  /// Forgets what the DUT was about to do (its power was cut, or it stopped).
  private mutating func cancelDUTActions(capturesOnly: Bool) {
    timeline.removeAll { entry in
      if case .capture = entry.action { return true }
      return !capturesOnly
    }
  }

  // MARK: Observation and cancellation

  mutating func observe(_ observation: BenchObservation) {
    observations.append(observation)
    if !cancelFired, let when = script.cancelWhen, when(observation) {
      cancelFired = true
      cancelRequested = true
    }
  }

  /// Whether the script asked to cancel the runner since the last call.
  mutating func takeCancelRequest() -> Bool {
    defer { cancelRequested = false }
    return cancelRequested
  }

  // MARK: Power and boot

  mutating func switchPower(_ state: PowerState, now: Instant) {
    observe(.power(state))
    switch state {
    case .off:
      guard dut.mode != .off else { return }
      // Whatever the DUT had not printed yet dies with it.
      cancelDUTActions(capturesOnly: false)
      let earlier = dut.nonce != 0 ? dut.nonce : dut.earlierNonce
      dut = DUT()
      dut.earlierNonce = earlier
    case .on:
      guard dut.mode == .off else { return }
      boots += 1
      dut.mode = .booting
      if script.boots(boots) {
        schedule(.boot(resetCause: script.identity.resetCause), at: now + script.bootTime)
      }
    }
  }

  private mutating func boot(cause: String, now: Instant) {
    if dut.nonce != 0 { dut.earlierNonce = dut.nonce }
    dut.mode = .booted
    dut.nonce = 0
    dut.running = false
    dut.waitingForFrame = false
    var identity = script.identity
    identity.resetCause = cause
    observe(.booted(resetCause: cause))
    print(.boot(identity), nonce: 0, at: now)
  }

  // MARK: Console commands

  mutating func receive(_ bytes: [UInt8], now: Instant) {
    for line in bytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
      guard let command = TelemetryEncoder.decodeCommand(line: line) else { continue }
      observe(.command(Self.verb(command)))
      guard dut.mode == .booted else { continue }
      answer(command, at: now + script.replyTime)
    }
  }

  private mutating func answer(_ command: TelemetryCommand, at time: Instant) {
    switch command {
    case .hello(let nonce):
      dut.nonce = nonce
      print(.hello(script.identity), nonce: nonce, at: time)
    case .start(let nonce, _):
      guard nonce == dut.nonce else { return }
      cancelDUTActions(capturesOnly: true)
      dut.running = true
      dut.sequence = 0
      dut.waitingForFrame = false
      dut.heldBack = nil
      if let failure = script.cameraCheckError {
        print(.error(code: failure.code, detail: failure.detail), nonce: nonce, at: time)
      }
      print(.ack(command: "start"), nonce: nonce, at: time)
      schedule(.capture, at: time)
    case .stats(let nonce):
      guard nonce == dut.nonce else { return }
      print(.summary(summary), nonce: nonce, at: time)
    case .stop(let nonce):
      guard nonce == dut.nonce else { return }
      cancelDUTActions(capturesOnly: true)
      dut.running = false
      dut.waitingForFrame = false
      print(.summary(summary), nonce: nonce, at: time)
      print(.ack(command: "stop"), nonce: nonce, at: time)
    }
  }

  private var summary: Summary {
    Summary(frames: Int(dut.sequence), errors: 0, maxCycles: UInt32(clamping: script.cycles.total), stackHighWater: 2048)
  }

  private static func verb(_ command: TelemetryCommand) -> String {
    switch command {
    case .hello: "hello"
    case .start: "start"
    case .stats: "stats"
    case .stop: "stop"
    }
  }

  // MARK: Camera and frames

  mutating func resetCamera() {
    camera.queue.removeAll()
    camera.events.removeAll()
    camera.status = EmulatorStatus()
    camera.armed.removeAll()
    observe(.cameraReset)
  }

  mutating func enqueue(_ frame: EmulatorFrame, now: Instant) throws {
    guard camera.queue.count < camera.capacity else {
      throw RigError(.hardwareFault, "the scripted emulator's queue is full (\(camera.capacity) frames)")
    }
    camera.queue.append(frame)
    camera.status.queued = camera.queue.count
    observe(.queued(frame.index))
    if dut.waitingForFrame && dut.running && dut.mode == .booted {
      dut.waitingForFrame = false
      schedule(.capture, at: now)
    }
  }

  /// The DUT's frame loop: capture the next queued frame, read it, and do what the script says.
  private mutating func capture(now: Instant) {
    guard dut.mode == .booted, dut.running else { return }
    guard !camera.queue.isEmpty else {
      dut.waitingForFrame = true
      return
    }
    let frame = camera.queue.removeFirst()
    serve(frame, now: now)
    dut.sequence += 1
    let done = now + script.framePeriod
    switch script.frame(boots, frame.index) {
    case .answer(let count, let status):
      report(frame, count: count, status: status, nonce: dut.nonce, at: done)
      schedule(.capture, at: done)
    case .silent:
      schedule(.capture, at: done)
    case .hang:
      dut.mode = .hung
      observe(.hung(frame.index))
    case .reboot(let cause):
      dut.mode = .booting
      dut.running = false
      schedule(.boot(resetCause: cause), at: done)
    case .fault(let kind, let detail):
      print(.fault(kind: kind, detail: detail), nonce: dut.nonce, at: done)
      dut.mode = .hung
    case .staleNonce(let count):
      let stale = dut.earlierNonce ?? (dut.nonce ^ 0x5A5A_5A5A)
      print(.frame(record(frame, count: count, status: "ok")), nonce: stale, at: done)
      report(frame, count: count, status: "ok", nonce: dut.nonce, at: done)
      schedule(.capture, at: done)
    case .reportAfterNext(let count):
      dut.heldBack = (TelemetryMessage(nonce: dut.nonce, record: .frame(record(frame, count: count, status: "ok"))), frame.index)
      schedule(.capture, at: done)
    }
  }

  /// The emulator's side of a capture: the frame latched and read in full, with its events.
  private mutating func serve(_ frame: EmulatorFrame, now: Instant) {
    let micros = UInt64((now - origin) / .microseconds(1))
    camera.status.capturesStarted += 1
    camera.status.framesServed += 1
    camera.status.bytesRead += frame.bytes.count
    camera.status.queued = camera.queue.count
    let sequence = UInt32(camera.status.capturesStarted)
    camera.events.append(.captureStarted(sequence: sequence, micros: micros))
    camera.events.append(.captureDone(sequence: sequence, frameIndex: frame.index, length: frame.bytes.count, micros: micros))
    camera.events.append(.readDone(
      sequence: sequence, frameIndex: frame.index, bytesRead: frame.bytes.count, crc32: frame.crc32, micros: micros))
    observe(.captured(frame.index))
  }

  private mutating func report(_ frame: EmulatorFrame, count: Int, status: String, nonce: UInt32, at time: Instant) {
    print(.frame(record(frame, count: count, status: status)), nonce: nonce, at: time, reported: frame.index)
    if let held = dut.heldBack {
      dut.heldBack = nil
      schedule(.print(TelemetryEncoder.encode(held.message), reported: held.index), at: time)
    }
  }

  private func record(_ frame: EmulatorFrame, count: Int, status: String) -> FrameReport {
    FrameReport(
      sequence: dut.sequence, frameCRC: frame.crc32, length: frame.bytes.count, count: count, inCount: 0,
      outCount: 0, cycles: script.cycles, stackHighWater: 2048, heapHighWater: 0, status: status)
  }
}

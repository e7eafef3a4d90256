// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// A bench in memory, in the spirit of NIOEmbedded's `EmbeddedChannel`: the runner drives it
/// through the same capabilities as a real bench (power switch, console, camera emulator), and a
/// scripted DUT answers on virtual time. Console lines come in as the DUT's telemetry, frames go
/// out to the emulator's queue, and every power switch, command and frame is observed in order.
///
/// Time is a `TestClock` that the bench moves: a read waiting for the console jumps to the next
/// thing the DUT prints, or to the read's deadline when the DUT has nothing to say before it. A
/// hang, a boot timeout or a test's timeout of many seconds therefore passes in microseconds, and
/// the order of everything is decided by the script alone, never by the machine's load.
///
/// It simulates the bench's protocol surface (telemetry lines, emulator events), never rig's own
/// code: the runner under test cannot tell it from a real bench.
public final class ScriptedBench: Sendable {
  public let clock: TestClock
  public let script: DUTScript
  public let rig: RigConfiguration
  let world: Locked<BenchWorld>

  public init(
    script: DUTScript = DUTScript(), timing: BenchTiming = ScriptedBench.timing, queueCapacity: Int = 4
  ) {
    clock = TestClock()
    self.script = script
    rig = RigConfiguration(
      name: "scripted", file: URL(fileURLWithPath: "/scripted/rig.yaml"), board: "scripted-rt1062",
      timing: timing, simulation: nil)
    world = Locked(BenchWorld(script: script, origin: clock.origin, queueCapacity: queueCapacity))
  }

  /// Deadlines of a typical rig file, as the runner would read them.
  public static let timing = BenchTiming(
    powerOffTime: .milliseconds(200), bootTimeout: .seconds(10), commandTimeout: .seconds(2),
    hangTimeout: .seconds(5))

  /// The bench as the runner takes it.
  public var bench: Bench {
    Bench(
      rig: rig, power: Power(bench: self), console: Console(bench: self), camera: Camera(bench: self),
      flasher: nil, close: {})
  }

  /// Everything observed so far, in order.
  public var observations: [BenchObservation] { world.withLock { $0.observations } }

  /// The supply's switchings so far.
  public var powerSwitches: [PowerState] {
    observations.compactMap { if case .power(let state) = $0 { state } else { nil } }
  }

  /// Commands received so far, by verb.
  public var commands: [String] {
    observations.compactMap { if case .command(let verb) = $0 { verb } else { nil } }
  }

  /// How many times the board has been powered on.
  public var boots: Int { world.withLock { $0.boots } }

  /// Puts raw bytes on the console `after` from now, as the DUT would print them: log lines,
  /// damaged records, anything the firmware's script does not say.
  public func print(_ text: String, after delay: Duration = .zero) {
    world.withLock { $0.printRaw(Array(text.utf8), at: clock.now + delay) }
  }

  /// Runs `body` on the world, after everything due by now has happened, then cancels the calling
  /// task if the script asked for it at what happened.
  func act<R>(_ body: (inout BenchWorld) throws -> R) rethrows -> R {
    let (result, cancel) = try world.withLock { w -> (R, Bool) in
      w.run(until: clock.now, clock: clock)
      let result = try body(&w)
      return (result, w.takeCancelRequest())
    }
    if cancel { withUnsafeCurrentTask { $0?.cancel() } }
    return result
  }

  /// Moves time forward until `take` finds something or `deadline` passes; nil at the deadline.
  func wait<R>(until deadline: ContinuousClock.Instant, _ take: (inout BenchWorld) -> R?) throws -> R? {
    while true {
      try Task.checkCancellation()
      let (found, more, cancel) = world.withLock { w -> (R?, Bool, Bool) in
        w.run(until: clock.now, clock: clock)
        if let found = take(&w) { return (found, false, w.takeCancelRequest()) }
        let more = w.step(until: deadline, clock: clock)
        return (nil, more, w.takeCancelRequest())
      }
      if cancel { withUnsafeCurrentTask { $0?.cancel() } }
      if let found { return found }
      if !more {
        clock.advance(to: deadline)
        return nil
      }
    }
  }

  struct Power: PowerSwitch {
    let bench: ScriptedBench
    func set(_ state: PowerState) async throws {
      bench.act { $0.switchPower(state, now: bench.clock.now) }
    }
  }

  struct Console: SerialLink {
    let bench: ScriptedBench
    var name: String { "scripted console" }

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
      try Task.checkCancellation()
      bench.act { $0.receive(bytes, now: bench.clock.now) }
    }

    func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
      try bench.wait(until: deadline) { w in w.console.isEmpty ? nil : w.console.removeFirst() }
    }

    func discardInput() {
      bench.act { $0.console.removeAll() }
    }

    func close() async {}
  }

  struct Camera: CameraEmulator {
    let bench: ScriptedBench
    var queueCapacity: Int { bench.world.withLock { $0.camera.capacity } }

    func reset(deadline: ContinuousClock.Instant) async throws {
      try Task.checkCancellation()
      bench.act { $0.resetCamera() }
    }

    func configure(_ setup: CameraSetup, deadline: ContinuousClock.Instant) async throws {
      try Task.checkCancellation()
      bench.act { $0.camera.setup = setup }
    }

    func enqueue(_ frame: EmulatorFrame, deadline: ContinuousClock.Instant) async throws {
      try Task.checkCancellation()
      try bench.act { try $0.enqueue(frame, now: bench.clock.now) }
    }

    func nextEvent(until deadline: ContinuousClock.Instant) async throws -> EmulatorEvent? {
      try bench.wait(until: deadline) { w in w.camera.events.isEmpty ? nil : w.camera.events.removeFirst() }
    }

    func status(deadline: ContinuousClock.Instant) async throws -> EmulatorStatus {
      try Task.checkCancellation()
      return bench.act { $0.camera.status }
    }

    func inject(
      _ fault: EmulatorFaultKind, mode: EmulatorFaultMode, parameter: UInt32, frame: Int?,
      deadline: ContinuousClock.Instant
    ) async throws {
      bench.act { $0.camera.armed.append(fault) }
    }
  }
}

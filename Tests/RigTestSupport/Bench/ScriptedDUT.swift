// SPDX-License-Identifier: Apache-2.0
import RigCore

/// What the scripted DUT does with one frame it captured from the camera emulator.
public enum FrameBehaviour: Sendable, Equatable {
  /// Reports the frame: this many people seen, with status `ok` or the status given.
  case answer(count: Int, status: String = "ok")
  /// Reads the frame and goes on, but its record never arrives (lost on the line).
  case silent
  /// Stops answering anything, commands included, until its power is cut: a firmware hang.
  case hang
  /// Resets itself instead of reporting (a watchdog): a boot record with nonce 0 and the cause.
  case reboot(cause: String)
  /// Reports the frame twice: first under a nonce of an earlier boot, then under this boot's.
  case staleNonce(count: Int)
  /// Reports a fault instead of the frame (a HardFault handler's last words), then hangs.
  case fault(kind: String, detail: String)
  /// Holds this frame's record back and sends it just after the next frame's: out of order.
  case reportAfterNext(count: Int)
}

/// What the bench saw the runner do, or the scripted DUT do, in order: what a test asserts on.
public enum BenchObservation: Sendable, Equatable {
  /// The supply was switched.
  case power(PowerState)
  /// The DUT booted and printed its boot record (reset cause `por` after power on).
  case booted(resetCause: String)
  /// A command line arrived on the console: its verb (`hello`, `start`, `stats`, `stop`).
  case command(String)
  /// The emulator was reset for a new clip.
  case cameraReset
  /// The host queued the frame with this index on the emulator.
  case queued(Int)
  /// The DUT captured (read) the frame with this index.
  case captured(Int)
  /// The DUT's record for this frame went out on the console.
  case reported(Int)
  /// The DUT hung at this frame.
  case hung(Int)
}

/// How the scripted DUT behaves: its identity, its timing, and a decision per frame.
public struct DUTScript: Sendable {
  public var identity: Identity
  /// From power on to the boot record.
  public var bootTime: Duration = .milliseconds(250)
  /// From a command to its answer.
  public var replyTime: Duration = .milliseconds(1)
  /// From a capture to its record; also the time between captures.
  public var framePeriod: Duration = .milliseconds(40)
  public var cycles = StageCycles(capture: 600_000, preprocess: 300_000, invoke: 5_400_000, postprocess: 300_000)
  /// Whether the board prints a boot record after its `boot`-th power on (1-based).
  public var boots: @Sendable (_ boot: Int) -> Bool = { _ in true }
  /// The camera check failing as `start` arrives: error code and detail, or nil.
  public var cameraCheckError: (code: String, detail: String)?
  /// What the DUT does with frame `index` during its `boot`-th boot (1-based).
  public var frame: @Sendable (_ boot: Int, _ index: Int) -> FrameBehaviour = { _, _ in .answer(count: 0) }
  /// When this says so, the task that made the observation happen (the runner's) is cancelled
  /// right then, as a signal would cancel it: the way to test cancellation at each step.
  public var cancelWhen: (@Sendable (BenchObservation) -> Bool)?

  public init(identity: Identity = DUTScript.defaultIdentity) {
    self.identity = identity
  }

  public static let defaultIdentity = Identity(
    firmwareVersion: "1.0.0-scripted", imageHash: "0123456789abcdef", modelCRC: 0xC0FFEE,
    arenaSize: 96_000, arenaUsed: 80_000, staticRAM: 40_000, cpuHz: 600_000_000, buildFlags: ["scripted"],
    resetCause: "por")

  /// Every frame answered with the count `counts` gives it (from the clip's labels, for a pass).
  public func answering(_ counts: @escaping @Sendable (Int) -> Int) -> DUTScript {
    var copy = self
    copy.frame = { _, index in .answer(count: counts(index)) }
    return copy
  }

  /// The same script, with frame `index` of the first boot behaving as `behaviour`.
  public func onFirstBoot(frame index: Int, _ behaviour: FrameBehaviour) -> DUTScript {
    var copy = self
    let earlier = frame
    copy.frame = { boot, i in boot == 1 && i == index ? behaviour : earlier(boot, i) }
    return copy
  }

  /// The same script, with frame `index` of every boot behaving as `behaviour`.
  public func always(frame index: Int, _ behaviour: FrameBehaviour) -> DUTScript {
    var copy = self
    let earlier = frame
    copy.frame = { boot, i in i == index ? behaviour : earlier(boot, i) }
    return copy
  }

  /// The same script, cancelling the runner's task at the first observation `when` accepts.
  public func cancelling(when: @escaping @Sendable (BenchObservation) -> Bool) -> DUTScript {
    var copy = self
    copy.cancelWhen = when
    return copy
  }
}

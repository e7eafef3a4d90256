// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// The camera emulator alone, without a simulated bench: the C register model and link device
/// side of emulator firmware, served on a pseudo-terminal (`rig sim emulator`) or in process.
///
/// With `readsFrames`, a virtual DUT runs the stock ArduCAM driver flow against it in a loop
/// (clear, start, poll CAP_DONE, clear, length, burst reads in 256-byte windows), so frames the
/// host queues in lockstep are consumed and their read events flow, as on a bench.
public final class SimulatedEmulator: @unchecked Sendable {
  // @unchecked: `core`, `reads` and `stopping` are only touched with `lock` held.
  private let lock = NSCondition()
  private let core: EmulatorCore
  private let origin = ContinuousClock.now
  private let server: EmulatorLinkServer?
  private let port: InProcessEmulatorPort?
  private var stopping = false
  private var readerDone: DispatchSemaphore?
  private var reads: [FrameRead] = []

  /// One frame the virtual DUT read: its length register value and the CRC of the bytes read.
  public struct FrameRead: Sendable, Equatable {
    public var length: Int
    public var crc32: UInt32
  }

  /// An emulator with `ramBytes` of frame RAM, on a new pseudo-terminal when `pseudoTerminal`,
  /// otherwise reached through `link`. `linkBytesPerSecond` (0: no limit) caps how fast the
  /// pseudo-terminal delivers the host's bytes, as a USB CDC port or a UART would.
  public init(
    ramBytes: Int = 256 * 1024, pseudoTerminal: Bool, readsFrames: Bool, linkBytesPerSecond: Double = 0
  ) throws {
    let origin = origin
    let micros: @Sendable () -> UInt64 = { Self.micros(since: origin) }
    core = EmulatorCore(ramBytes: ramBytes, microseconds: micros)
    if pseudoTerminal {
      server = try EmulatorLinkServer(
        core: core, lock: lock, pacer: LinkPacer(bytesPerSecond: linkBytesPerSecond), microseconds: micros)
      port = nil
    } else {
      server = nil
      port = InProcessEmulatorPort(core: core, lock: lock)
    }
    if readsFrames {
      let done = DispatchSemaphore(value: 0)
      readerDone = done
      let thread = Thread { [self] in
        readLoop()
        done.signal()
      }
      thread.name = "simulated emulator reader"
      thread.start()
    }
  }

  deinit {
    stop()
  }

  /// The tty to open, when served on a pseudo-terminal.
  public var devicePath: String? { server?.devicePath }

  /// The in-process link, when not on a pseudo-terminal.
  public var link: (any SerialLink)? { port }

  /// Reads remembered for `framesRead`; older ones are forgotten.
  static let readsKept = 1 << 16

  /// What the virtual DUT has read so far, in order (the latest `readsKept`).
  public var framesRead: [FrameRead] {
    lock.lock()
    defer { lock.unlock() }
    return reads
  }

  /// Stops the reader and closes the link; the emulator is unusable afterwards.
  public func close() async {
    stop()
    await port?.close()
  }

  private func stop() {
    lock.lock()
    let first = !stopping
    stopping = true
    lock.broadcast()
    lock.unlock()
    guard first else { return }
    readerDone?.wait()
    server?.close()
  }

  private static func micros(since origin: ContinuousClock.Instant) -> UInt64 {
    let elapsed = origin.duration(to: .now).components
    return UInt64(elapsed.seconds) * 1_000_000 + UInt64(elapsed.attoseconds / 1_000_000_000_000)
  }

  /// The stock driver's capture loop, sleeping on the lock until the emulator's state can have
  /// changed (a frame queued, a capture delay over).
  private func readLoop() {
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    lock.lock()
    defer { lock.unlock() }
    while !stopping {
      core.writeRegister(0x04, 0x01)
      core.writeRegister(0x04, 0x02)
      // A host RESET drops the capture: start another, as a driver with a capture timeout would.
      while !stopping && !core.captureDone() && !core.captureIdle {
        let wake = core.chipNextWakeMicros
        if wake == .max {
          lock.wait()
        } else {
          let now = Self.micros(since: origin)
          if wake > now { _ = lock.wait(until: Date(timeIntervalSinceNow: Double(wake - now) / 1e6)) }
        }
      }
      if stopping { return }
      if core.captureIdle { continue }
      core.writeRegister(0x04, 0x01)
      let length = core.fifoLength()
      if buffer.count < length { buffer = [UInt8](repeating: 0, count: length) }
      var crc = CRC32.Running()
      buffer.withUnsafeMutableBufferPointer { b in
        var offset = 0
        while offset < length {
          let n = min(256, length - offset)
          core.burstRead(into: b.baseAddress! + offset, count: n)
          offset += n
        }
        crc.update(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: b[..<length])))
      }
      if reads.count >= Self.readsKept { reads.removeFirst(reads.count / 2) }
      reads.append(FrameRead(length: length, crc32: crc.value))
      // Let the link in between frames.
      lock.unlock()
      lock.lock()
    }
  }
}

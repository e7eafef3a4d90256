// SPDX-License-Identifier: Apache-2.0

/// How the emulator serves its queued frames to the DUT's capture requests.
public enum PlaybackMode: String, Sendable, Codable {
  /// Each queued frame answers exactly one capture, once; with the queue empty a capture waits.
  case lockstep
  /// The queue repeats from the start.
  case loop
  /// The last frame answers every capture.
  case hold
}

/// What the emulator must pretend to be for the next clip.
public struct CameraSetup: Sendable, Equatable {
  public var format: PixelFormat
  public var width: Int
  public var height: Int
  public var mode: PlaybackMode
  public init(format: PixelFormat, width: Int, height: Int, mode: PlaybackMode = .lockstep) {
    self.format = format
    self.width = width
    self.height = height
    self.mode = mode
  }
}

/// One frame to serve, as the DUT will read it from the FIFO.
public struct EmulatorFrame: Sendable {
  /// The host's index of this frame in the clip.
  public var index: Int
  public var bytes: [UInt8]
  public var crc32: UInt32
  public init(index: Int, bytes: [UInt8]) {
    self.index = index
    self.bytes = bytes
    self.crc32 = CRC32.checksum(bytes)
  }
}

/// What the emulator saw the DUT do, stamped with the emulator's microsecond clock.
public enum EmulatorEvent: Sendable, Equatable {
  /// The DUT started a capture; `sequence` counts captures since reset.
  case captureStarted(sequence: UInt32, micros: UInt64)
  /// A frame was latched for the capture: its host index and length.
  case captureDone(sequence: UInt32, frameIndex: Int, length: Int, micros: UInt64)
  /// The DUT finished reading the latched frame: bytes clocked out and the CRC of those bytes.
  case readDone(sequence: UInt32, frameIndex: Int, bytesRead: Int, crc32: UInt32, micros: UInt64)
  /// Faults were applied to the frame latched for the capture (comes just before its
  /// `captureDone`): what they were and the length the FIFO registers report.
  case frameFaulted(
    sequence: UInt32, frameIndex: Int, faults: [EmulatorFaultKind], reportedLength: Int,
    micros: UInt64)
  /// The DUT stopped reading the latched frame before its end (pointer reset, clear or a new
  /// capture): the bytes it took and their CRC.
  case readAbandoned(
    sequence: UInt32, frameIndex: Int, bytesRead: Int, crc32: UInt32, micros: UInt64)
  /// The emulator dropped events here (its send buffer was full): the host's view has a gap.
  case eventsLost(micros: UInt64)
}

/// Counters the emulator keeps since its last reset.
public struct EmulatorStatus: Sendable, Equatable {
  public var queued: Int
  public var capturesStarted: Int
  public var framesServed: Int
  public var bytesRead: Int
  public var unknownAccesses: Int
  public init(queued: Int = 0, capturesStarted: Int = 0, framesServed: Int = 0, bytesRead: Int = 0, unknownAccesses: Int = 0) {
    self.queued = queued
    self.capturesStarted = capturesStarted
    self.framesServed = framesServed
    self.bytesRead = bytesRead
    self.unknownAccesses = unknownAccesses
  }
}

/// The SPI camera emulator that the DUT's ArduCAM driver reads frames from.
public protocol CameraEmulator: Sendable {
  /// Frames the emulator can hold queued at once; the host keeps at most this many ahead.
  var queueCapacity: Int { get }
  /// Empties the queue and counters; the register model returns to power-on state.
  func reset(deadline: ContinuousClock.Instant) async throws
  func configure(_ setup: CameraSetup, deadline: ContinuousClock.Instant) async throws
  /// Queues a frame behind those already queued. Fails if the queue is full.
  func enqueue(_ frame: EmulatorFrame, deadline: ContinuousClock.Instant) async throws
  /// The next event, or nil when the deadline passes first.
  func nextEvent(until deadline: ContinuousClock.Instant) async throws -> EmulatorEvent?
  func status(deadline: ContinuousClock.Instant) async throws -> EmulatorStatus
  /// Arms a fault for the frame with host index `frame` (when it is latched), or for whatever
  /// comes next when `frame` is nil.
  func inject(
    _ fault: EmulatorFaultKind, mode: EmulatorFaultMode, parameter: UInt32, frame: Int?,
    deadline: ContinuousClock.Instant) async throws
}

extension CameraEmulator {
  /// Emulators without fault injection refuse it.
  public func inject(
    _ fault: EmulatorFaultKind, mode: EmulatorFaultMode, parameter: UInt32, frame: Int?,
    deadline: ContinuousClock.Instant
  ) async throws {
    throw RigError(
      .hardwareUnavailable,
      "this camera emulator cannot inject faults (\(fault.rawValue) requested); it needs the "
        + "emulator link protocol (docs/emulator-protocol.md)")
  }
}

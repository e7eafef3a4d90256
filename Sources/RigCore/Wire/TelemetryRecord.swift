// SPDX-License-Identifier: Apache-2.0

/// A telemetry record the DUT sent, decoded and checksum-verified (format: docs/telemetry.md).
public struct TelemetryMessage: Sendable, Equatable {
  /// The run nonce the record carries; 0 before the host has sent one (boot records).
  public var nonce: UInt32
  public var record: TelemetryRecord
  public init(nonce: UInt32, record: TelemetryRecord) {
    self.nonce = nonce
    self.record = record
  }
}

public enum TelemetryRecord: Sendable, Equatable {
  /// Sent once after reset, before any nonce is known.
  case boot(Identity)
  /// The answer to the host's `hello`: the same identity, now carrying the run nonce.
  case hello(Identity)
  /// One per frame the firmware processed.
  case frame(FrameReport)
  /// The answer to `stop` and `stats`.
  case summary(Summary)
  /// A host command was understood and done (`start`, `stop`).
  case ack(command: String)
  /// The firmware reports a problem: a bad command, a capture that failed.
  case error(code: String, detail: String)
  /// A fault the firmware survived or is about to reset for.
  case fault(kind: String, detail: String)
}

/// Who the firmware is: reported at boot and in reply to `hello`.
public struct Identity: Sendable, Equatable {
  public var firmwareVersion: String
  /// Hash of the running image, as rig computes it for the file it flashes (docs/telemetry.md).
  public var imageHash: String
  /// CRC32 of the model flatbuffer.
  public var modelCRC: UInt32
  public var arenaSize: Int
  public var arenaUsed: Int
  public var staticRAM: Int
  public var cpuHz: Int
  public var buildFlags: [String]
  /// Why the board last reset: `por`, `wdog`, `soft`, `lockup`, `pin`.
  public var resetCause: String

  public init(
    firmwareVersion: String, imageHash: String, modelCRC: UInt32, arenaSize: Int, arenaUsed: Int,
    staticRAM: Int, cpuHz: Int, buildFlags: [String], resetCause: String
  ) {
    self.firmwareVersion = firmwareVersion
    self.imageHash = imageHash
    self.modelCRC = modelCRC
    self.arenaSize = arenaSize
    self.arenaUsed = arenaUsed
    self.staticRAM = staticRAM
    self.cpuHz = cpuHz
    self.buildFlags = buildFlags
    self.resetCause = resetCause
  }
}

/// What the firmware did with one frame.
public struct FrameReport: Sendable, Equatable {
  /// The firmware's own loop counter since `start`.
  public var sequence: UInt32
  /// CRC32 of the bytes it read from the camera FIFO: the key that matches it to a frame.
  public var frameCRC: UInt32
  /// Bytes read from the FIFO.
  public var length: Int
  public var count: Int
  /// Cumulative line crossings since `start`.
  public var inCount: Int
  public var outCount: Int
  /// DWT cycles per stage: capture (SPI + FIFO read), preprocess, invoke, post-process.
  public var cycles: StageCycles
  /// Painted-stack high-water mark, bytes.
  public var stackHighWater: Int
  /// Heap high-water mark, bytes (0 without a heap).
  public var heapHighWater: Int
  /// `ok`, or what went wrong: `cap_timeout`, `len_invalid`, `decode_fail`, `invoke_fail`.
  public var status: String

  public init(
    sequence: UInt32, frameCRC: UInt32, length: Int, count: Int, inCount: Int, outCount: Int,
    cycles: StageCycles, stackHighWater: Int, heapHighWater: Int, status: String
  ) {
    self.sequence = sequence
    self.frameCRC = frameCRC
    self.length = length
    self.count = count
    self.inCount = inCount
    self.outCount = outCount
    self.cycles = cycles
    self.stackHighWater = stackHighWater
    self.heapHighWater = heapHighWater
    self.status = status
  }
}

/// DWT cycle counts per stage of one frame.
public struct StageCycles: Sendable, Equatable {
  public var capture: UInt32
  public var preprocess: UInt32
  public var invoke: UInt32
  public var postprocess: UInt32
  public init(capture: UInt32, preprocess: UInt32, invoke: UInt32, postprocess: UInt32) {
    self.capture = capture
    self.preprocess = preprocess
    self.invoke = invoke
    self.postprocess = postprocess
  }
  public var total: UInt64 {
    UInt64(capture) + UInt64(preprocess) + UInt64(invoke) + UInt64(postprocess)
  }
}

public struct Summary: Sendable, Equatable {
  public var frames: Int
  public var errors: Int
  public var maxCycles: UInt32
  public var stackHighWater: Int
  public init(frames: Int, errors: Int, maxCycles: UInt32, stackHighWater: Int) {
    self.frames = frames
    self.errors = errors
    self.maxCycles = maxCycles
    self.stackHighWater = stackHighWater
  }
}

/// A host → DUT command on the console (`~H1 …`).
public enum TelemetryCommand: Sendable, Equatable {
  /// Adopt this nonce for every later record and answer with `hello` (identity).
  case hello(nonce: UInt32)
  /// Reset per-test state (tracker, cumulative counts, sequence) and start processing frames.
  case start(nonce: UInt32, test: String)
  /// Stop processing frames and answer with a summary.
  case stop(nonce: UInt32)
  /// Answer with a summary without stopping.
  case stats(nonce: UInt32)
}

// SPDX-License-Identifier: Apache-2.0

/// The knobs of the simulated bench (`simulated:` in a rig file). Everything the virtual DUT
/// does that is not read from the frame pixels follows these, deterministically from `seed`.
public struct SimulationSettings: Sendable, Equatable {
  /// Seeds every random choice of the virtual DUT (latency jitter and run offset, spikes, drops,
  /// counting errors); `rig run --seed` and `RIG_SEED` override it.
  public var seed: UInt64
  /// From power on to the boot record.
  public var bootTime: Duration
  /// How fast the virtual DUT runs against the wall clock: 1 = its modelled latency in real time,
  /// 0 = as fast as the host can go (latency is still reported as modelled).
  public var pace: Double
  public var latency: LatencyModel
  public var memory: MemoryModel
  public var counting: CountingModel
  /// Faults to inject, each at a given frame of a given test.
  public var faults: [SimulatedFault]
  /// A regression built into the firmware: every frame of every test, every run.
  public var regression: FirmwareRegression
  /// The ROM, flashloader and flash array (`flash:`).
  public var flash: SimulatedFlashSettings
  /// The simulated camera emulator and the frame format the virtual firmware was built for.
  public var camera: SimulatedCameraSettings

  public init(
    seed: UInt64 = 1, bootTime: Duration = .milliseconds(300), pace: Double = 0,
    latency: LatencyModel = LatencyModel(), memory: MemoryModel = MemoryModel(),
    counting: CountingModel = CountingModel(), faults: [SimulatedFault] = [],
    regression: FirmwareRegression = FirmwareRegression(),
    flash: SimulatedFlashSettings = SimulatedFlashSettings(),
    camera: SimulatedCameraSettings = SimulatedCameraSettings()
  ) {
    self.seed = seed
    self.bootTime = bootTime
    self.pace = pace
    self.latency = latency
    self.memory = memory
    self.counting = counting
    self.faults = faults
    self.regression = regression
    self.flash = flash
    self.camera = camera
  }
}

/// The simulated bench's camera (`simulated: { camera: … }`).
public struct SimulatedCameraSettings: Sendable, Equatable {
  /// The frame format the virtual firmware reads; nil: whatever each clip stores. rig converts
  /// the clip's frames to it on the way to the emulator.
  public var format: PixelFormat?
  /// The emulator's frame RAM (an RP2040 keeps about 256 KiB free, an RP2350 about 480 KiB).
  public var ramBytes: Int

  public init(format: PixelFormat? = nil, ramBytes: Int = 256 * 1024) {
    self.format = format
    self.ramBytes = ramBytes
  }
}

/// Modelled per-frame device time, in milliseconds at `cpuHz`, turned into DWT cycles per stage.
///
/// invoke = `invokeMs` + `perPersonMs` × blobs + `perActivePixelMs` × bright pixels ÷ 1000,
/// plus the bench's noise: Gaussian jitter of `jitterMs` per frame, an offset per run and one
/// per board (Gaussian, standard deviations `runOffsetMs` and `boardOffsetMs`), and now and then
/// a spike (interrupts, cache misses) — all seeded. Capture time follows the SPI clock and the
/// bytes read; preprocessing and post-processing are fixed.
public struct LatencyModel: Sendable, Equatable {
  public var cpuHz: Int
  public var spiHz: Int
  public var invokeMs: Double
  public var perPersonMs: Double
  public var perActivePixelMs: Double
  public var preprocessMs: Double
  public var postprocessMs: Double
  public var jitterMs: Double
  /// Standard deviation of an offset drawn once per run (from the seed) and added to every frame:
  /// what a run's temperature, clock trim or background load shifts.
  public var runOffsetMs: Double
  /// Standard deviation of an offset drawn once per board (from the rig's name) and added to
  /// every frame: what makes two boards of one model differ.
  public var boardOffsetMs: Double
  /// Probability per frame of a latency spike.
  public var spikeRate: Double
  /// Mean size of a spike; sizes follow an exponential distribution, so a few are several times
  /// larger: the heavy tail interrupts and cache misses give real latency.
  public var spikeMs: Double

  public init(
    cpuHz: Int = 600_000_000, spiHz: Int = 8_000_000, invokeMs: Double = 24,
    perPersonMs: Double = 0.8, perActivePixelMs: Double = 0.002, preprocessMs: Double = 0.6,
    postprocessMs: Double = 0.15, jitterMs: Double = 0.4, runOffsetMs: Double = 0,
    boardOffsetMs: Double = 0, spikeRate: Double = 0, spikeMs: Double = 0
  ) {
    self.cpuHz = cpuHz
    self.spiHz = spiHz
    self.invokeMs = invokeMs
    self.perPersonMs = perPersonMs
    self.perActivePixelMs = perActivePixelMs
    self.preprocessMs = preprocessMs
    self.postprocessMs = postprocessMs
    self.jitterMs = jitterMs
    self.runOffsetMs = runOffsetMs
    self.boardOffsetMs = boardOffsetMs
    self.spikeRate = spikeRate
    self.spikeMs = spikeMs
  }
}

/// Modelled RAM: static image + tensor arena in use + painted-stack high-water mark + heap.
public struct MemoryModel: Sendable, Equatable {
  public var staticBytes: Int
  public var arenaSizeBytes: Int
  public var arenaUsedBytes: Int
  /// Stack used by the frame loop with no people in view.
  public var stackBaseBytes: Int
  /// Extra stack per connected component found (the labelling work list grows with them).
  public var stackPerBlobBytes: Int
  public var heapBytes: Int

  public init(
    staticBytes: Int = 96 * 1024, arenaSizeBytes: Int = 136 * 1024, arenaUsedBytes: Int = 85_264,
    stackBaseBytes: Int = 6 * 1024, stackPerBlobBytes: Int = 192, heapBytes: Int = 0
  ) {
    self.staticBytes = staticBytes
    self.arenaSizeBytes = arenaSizeBytes
    self.arenaUsedBytes = arenaUsedBytes
    self.stackBaseBytes = stackBaseBytes
    self.stackPerBlobBytes = stackPerBlobBytes
    self.heapBytes = heapBytes
  }
}

/// How the virtual DUT's counting firmware sees people, and the errors it may be made to make.
public struct CountingModel: Sendable, Equatable {
  /// A pixel belongs to a person when it is this many grey levels above the frame's median.
  public var threshold: Int
  /// Connected components smaller than this many pixels are noise.
  public var minBlobPixels: Int
  /// Largest centroid jump, in pixels, that still continues a track between frames.
  public var trackingRadius: Double
  /// Probability that a detected person is missed in a frame (seeded).
  public var missRate: Double
  /// Probability of one phantom person in a frame (seeded).
  public var phantomRate: Double
  /// The firmware's own counting line: horizontal, at this fraction of the frame height, with
  /// downward movement counted as "in". Real firmware has it compiled in; a clip whose line is
  /// elsewhere scores badly on `line.*`, as it would on a real board.
  public var lineFraction: Double

  public init(
    threshold: Int = 40, minBlobPixels: Int = 30, trackingRadius: Double = 14,
    missRate: Double = 0, phantomRate: Double = 0, lineFraction: Double = 0.5
  ) {
    self.threshold = threshold
    self.minBlobPixels = minBlobPixels
    self.trackingRadius = trackingRadius
    self.missRate = missRate
    self.phantomRate = phantomRate
    self.lineFraction = lineFraction
  }
}

/// A fault the simulated bench injects when the virtual DUT reaches a frame of a test.
public struct SimulatedFault: Sendable, Equatable {
  public enum Kind: String, Sendable, CaseIterable {
    /// The firmware stops: no more records, no more captures, until power is cycled.
    case hang
    /// The board resets itself: a new boot record mid-test.
    case reset
    /// Bytes of line noise on the console.
    case garbage
    /// The record for this frame is damaged on the wire (its checksum fails).
    case corruptRecord = "corrupt_record"
    /// A record from an earlier run (wrong nonce) appears on the console.
    case staleRecord = "stale_record"
    /// One byte of the frame is damaged on the SPI bus before the DUT reads it.
    case corruptFrame = "corrupt_frame"
    /// The DUT reports the previous frame again instead of this one.
    case repeatFrame = "repeat_frame"
    /// The DUT's model regresses: latency of every frame from here on is multiplied by `factor`.
    case slowdown
    /// The DUT's counter regresses: every count from here on is off by `factor` (rounded).
    case miscount
    /// The board is disconnected (its USB hub lost, its cable pulled): it stops, and its power
    /// switch fails from then on, until the bench is rebuilt.
    case unplug
  }

  public var kind: Kind
  /// Test name the fault applies to (the DUT learns it from the host's `start`); nil means every
  /// test.
  public var test: String?
  /// 0-based frame index, counted from the test's `start`, at which it fires.
  public var frame: Int
  /// When true, fires only the first time (so a retry can pass).
  public var once: Bool
  /// Multiplier or offset for `slowdown` and `miscount`.
  public var factor: Double

  public init(kind: Kind, test: String? = nil, frame: Int = 0, once: Bool = false, factor: Double = 1) {
    self.kind = kind
    self.test = test
    self.frame = frame
    self.once = once
    self.factor = factor
  }
}

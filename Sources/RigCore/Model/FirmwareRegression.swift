// SPDX-License-Identifier: Apache-2.0

/// A regression built into the simulated bench's firmware (`simulated: { regression: … }`): what
/// a worse firmware build does, every run, so that history and comparisons have something real
/// to find. Setting any knob makes the virtual firmware report another version
/// (`sim-1.0.0+r.<fingerprint>`), as a new build would.
///
/// Unlike `faults:`, which fire at one frame of one test and carry on from there, these apply to
/// every frame of every test, and a counting regression changes only the frames it chooses.
public struct FirmwareRegression: Sendable, Equatable {
  /// Every stage of every frame takes this many times as long (1.10 = 10 % slower).
  public var latencyScale: Double
  /// Probability that the firmware processes a frame but sends no record for it (seeded by the
  /// run's seed, so different frames each run).
  public var dropRate: Double
  /// Fraction of frames whose count is off by `miscountBy`, chosen by test name and frame index
  /// alone: the same frames in every run of this build. Only frames where the change is
  /// possible (the count stays ≥ 0) are chosen.
  public var miscountRate: Double
  /// How far a chosen frame's count is off (−1: one person missed).
  public var miscountBy: Int
  /// Frames (0-based from the test's start) whose count is off by `miscountBy` in every test, in
  /// addition to those `miscountRate` chooses.
  public var miscountFrames: [Int]
  /// Extra heap in use from boot on, bytes: peak RAM grows by this much.
  public var ramBytes: Int
  /// Heap lost per frame processed since boot, bytes: a leak, so peak RAM grows over frames.
  public var leakBytesPerFrame: Int

  public init(
    latencyScale: Double = 1, dropRate: Double = 0, miscountRate: Double = 0, miscountBy: Int = -1,
    miscountFrames: [Int] = [], ramBytes: Int = 0, leakBytesPerFrame: Int = 0
  ) {
    self.latencyScale = latencyScale
    self.dropRate = dropRate
    self.miscountRate = miscountRate
    self.miscountBy = miscountBy
    self.miscountFrames = miscountFrames
    self.ramBytes = ramBytes
    self.leakBytesPerFrame = leakBytesPerFrame
  }

  /// True when the firmware is the unregressed build.
  public var isNone: Bool { canonicalDescription.isEmpty }

  /// Canonical text of the knobs that are set, the same for the same regression on every
  /// platform (Swift prints a Double as the shortest text that reads back the same): what the
  /// build fingerprint is taken over.
  public var canonicalDescription: String {
    var parts: [String] = []
    if latencyScale != 1 { parts.append("latency_scale=\(latencyScale)") }
    if dropRate != 0 { parts.append("drop_rate=\(dropRate)") }
    if miscountRate != 0 || !miscountFrames.isEmpty {
      parts.append("miscount_rate=\(miscountRate)")
      parts.append("miscount_by=\(miscountBy)")
      if !miscountFrames.isEmpty {
        parts.append("miscount_frames=" + miscountFrames.map(String.init).joined(separator: ","))
      }
    }
    if ramBytes != 0 { parts.append("ram_bytes=\(ramBytes)") }
    if leakBytesPerFrame != 0 { parts.append("leak_bytes_per_frame=\(leakBytesPerFrame)") }
    return parts.joined(separator: ";")
  }

  /// The first 8 hex digits of the SHA-256 of `canonicalDescription`; nil for no regression.
  public var fingerprint: String? {
    isNone ? nil : String(SHA256.hex(Array(canonicalDescription.utf8)).prefix(8))
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// What varies from frame to frame, run to run and board to board on the simulated bench, and
/// what a regressed firmware build does differently (`SimulationSettings.latency` noise knobs and
/// `SimulationSettings.regression`).
///
/// Bench noise follows the run's seed (and, for the board's offset, the board's name), so a rerun
/// with the same seed repeats it exactly and another seed gives another night. The regression's
/// choice of miscounted frames follows only the test and the frame: the same build miscounts the
/// same frames every night, as real firmware fed the same bytes does.
struct BenchVariation {
  private let seed: UInt64
  private let latency: LatencyModel
  private let regression: FirmwareRegression
  private let miscountFrames: Set<Int>
  /// Added to every frame's invoke time on this bench in this run, ms.
  let offsetMs: Double

  /// The choice of miscounted frames is part of the build, not of the run.
  private static let buildSeed: UInt64 = 0xB01D_5EED

  init(settings: SimulationSettings, board: String) {
    seed = settings.seed
    latency = settings.latency
    regression = settings.regression
    miscountFrames = Set(settings.regression.miscountFrames)
    var run = SeededRandom(seed: settings.seed, test: 0, frame: 0, purpose: RandomPurpose.runOffset)
    var unit = SeededRandom(seed: 0, test: SeededRandom.hash(board), frame: 0, purpose: RandomPurpose.boardOffset)
    let runOffset = latency.runOffsetMs > 0 ? latency.runOffsetMs * run.gaussian() : 0
    let boardOffset = latency.boardOffsetMs > 0 ? latency.boardOffsetMs * unit.gaussian() : 0
    offsetMs = runOffset + boardOffset
  }

  /// Every stage's time is multiplied by this (the regression's latency scale).
  var latencyScale: Double { regression.latencyScale }

  /// A spike for this frame, ms (0 for most frames): exponential with mean `spikeMs`.
  func spikeMs(test: UInt64, frame: UInt64) -> Double {
    guard latency.spikeRate > 0, latency.spikeMs > 0 else { return 0 }
    var random = SeededRandom(seed: seed, test: test, frame: frame, purpose: RandomPurpose.spike)
    guard random.unit() < latency.spikeRate else { return 0 }
    return -latency.spikeMs * log(max(random.unit(), .leastNonzeroMagnitude))
  }

  /// Whether the regressed firmware sends no record for this frame.
  func drops(test: UInt64, frame: UInt64) -> Bool {
    guard regression.dropRate > 0 else { return false }
    var random = SeededRandom(seed: seed, test: test, frame: frame, purpose: RandomPurpose.drop)
    return random.unit() < regression.dropRate
  }

  /// The count the regressed firmware reports for a frame it would have counted `count`.
  func count(_ count: Int, test: UInt64, frame: Int) -> Int {
    let changed = count + regression.miscountBy
    guard regression.miscountBy != 0, changed >= 0 else { return count }
    if miscountFrames.contains(frame) { return changed }
    guard regression.miscountRate > 0 else { return count }
    var random = SeededRandom(
      seed: Self.buildSeed, test: test, frame: UInt64(frame), purpose: RandomPurpose.miscount)
    return random.unit() < regression.miscountRate ? changed : count
  }

  /// Heap in use after `framesSinceBoot` frames, given the memory model's own heap.
  func heapBytes(_ modelled: Int, framesSinceBoot: Int) -> Int {
    modelled + regression.ramBytes + regression.leakBytesPerFrame * framesSinceBoot
  }
}

/// The firmware's version as it reports it: the base version, and for a regressed build a
/// `+r.<fingerprint>` suffix, so history sees another build whenever a regression knob is set.
enum FirmwareBuild {
  static let baseVersion = "sim-1.0.0"

  static func version(_ regression: FirmwareRegression) -> String {
    regression.fingerprint.map { "\(baseVersion)+r.\($0)" } ?? baseVersion
  }
}

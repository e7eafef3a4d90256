// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The counting firmware's per-test state: reset by every `start`.
struct TestRun {
  /// What the firmware last reported for a frame (for the `repeat_frame` fault).
  struct Report {
    var crc: UInt32
    var length: UInt32
    var count: UInt32
    var inCount: UInt32
    var outCount: UInt32
  }

  var name: String
  /// Part of every seed, so two tests with the same frames still jitter differently.
  var nameHash: UInt64
  var plan: FaultPlan
  /// Frames processed since `start`; also the 0-based index faults are keyed by.
  var sequence: UInt32 = 0
  var tracker: CentroidTracker?
  var frames = 0
  var errors = 0
  var maxCycles: UInt32 = 0
  var stackHighWater = 0
  var slowdown = 1.0
  var miscount = 0
  var previous: Report?

  init(name: String, faults: [SimulatedFault]) {
    self.name = name
    nameHash = SeededRandom.hash(name)
    plan = FaultPlan(faults: faults, test: name)
  }
}

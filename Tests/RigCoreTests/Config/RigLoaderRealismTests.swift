// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("Rig files: the simulated bench's noise and regression knobs")
struct RigLoaderRealismTests {
  @Test("reads the latency noise and every regression knob; an absent section leaves the defaults")
  func readsKnobs() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write(
      "r.yaml",
      """
      rig: sim-b
      board: virtual-rt1062
      simulated:
        latency: { jitter_ms: 0.3, run_offset_ms: 0.1, board_offset_ms: 0.15, spike_rate: 0.02, spike_ms: 1.5 }
        regression:
          latency_scale: 1.1
          drop_rate: 0.001
          miscount_rate: 0.03
          miscount_by: -1
          miscount_frames: [12, 40]
          ram_bytes: 8192
          leak_bytes_per_frame: 4
      """)
    let s = try #require(try RigLoader.load(file).simulation)
    #expect(s.latency == LatencyModel(jitterMs: 0.3, runOffsetMs: 0.1, boardOffsetMs: 0.15, spikeRate: 0.02, spikeMs: 1.5))
    #expect(
      s.regression
        == FirmwareRegression(
          latencyScale: 1.1, dropRate: 0.001, miscountRate: 0.03, miscountBy: -1, miscountFrames: [12, 40],
          ramBytes: 8192, leakBytesPerFrame: 4))
    let plain = try dir.write("p.yaml", "rig: sim\nboard: virtual-rt1062\nsimulated: {}\n")
    let defaults = try #require(try RigLoader.load(plain).simulation)
    #expect(defaults.regression.isNone && defaults.latency == LatencyModel())
  }

  @Test("wrong regression values are reported with their place and a fix")
  func wrongValues() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write(
      "r.yaml",
      """
      rig: sim
      board: virtual-rt1062
      simulated:
        latency: { spike_rate: 2 }
        regression: { latency_scale: 0, drop_rate: -0.1, miscount_by: 0, miscount_frames: [3, x], leak: 4 }
      """)
    let found = issues { () throws(ConfigError) in try RigLoader.load(file) }
    let text = brief(found)
    #expect(text.contains("4:26: simulated.latency.spike_rate: 2 is out of range"))
    #expect(text.contains { $0.contains("simulated.regression.latency_scale: 0 is out of range") })
    #expect(text.contains { $0.contains("simulated.regression.drop_rate: -0.1 is out of range") })
    #expect(text.contains { $0.contains("simulated.regression.miscount_by: a miscount of 0 changes nothing") })
    #expect(text.contains { $0.contains("simulated.regression.miscount_frames[1]: expected a whole number") })
    #expect(text.contains { $0.contains("simulated.regression.leak") })
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite struct RigLoaderTests {
  @Test("reads every key of the simulated bench")
  func readsEverything() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write(
      "Rigs/sim.yaml",
      """
      rig: sim
      board: virtual-rt1062
      timing: { power_off: 250ms, boot_timeout: 12s, command_timeout: 3s, hang_timeout: 4s }
      simulated:
        seed: 42
        boot_time: 150ms
        pace: 1
        latency: { cpu_hz: 528_000_000, spi_hz: 4000000, invoke_ms: 30, per_person_ms: 1.2, per_active_pixel_ms: 0.003,
                   preprocess_ms: 0.5, postprocess_ms: 0.2, jitter_ms: 0 }
        memory: { static_bytes: 100000, arena_size_bytes: 140000, arena_used_bytes: 90000, stack_base_bytes: 4096,
                  stack_per_blob_bytes: 128, heap_bytes: 16 }
        counting: { threshold: 50, min_blob_pixels: 20, tracking_radius: 10, miss_rate: 0.1, phantom_rate: 0.05, line: 0.25 }
        faults:
          - { kind: hang, test: corridor-busy, frame: 40 }
          - { kind: slowdown, test: corridor-light, frame: 0, factor: 2.5, once: true }
      """)
    let rig = try RigLoader.load(file)
    #expect(rig.name == "sim")
    #expect(rig.board == "virtual-rt1062")
    #expect(rig.file == file.standardizedFileURL)
    #expect(
      rig.timing
        == BenchTiming(
          powerOffTime: .milliseconds(250), bootTimeout: .seconds(12),
          commandTimeout: .seconds(3), hangTimeout: .seconds(4)))
    let s = try #require(rig.simulation)
    #expect(s.seed == 42)
    #expect(s.bootTime == .milliseconds(150))
    #expect(s.pace == 1)
    #expect(
      s.latency
        == LatencyModel(
          cpuHz: 528_000_000, spiHz: 4_000_000, invokeMs: 30, perPersonMs: 1.2,
          perActivePixelMs: 0.003, preprocessMs: 0.5, postprocessMs: 0.2, jitterMs: 0))
    #expect(
      s.memory
        == MemoryModel(
          staticBytes: 100_000, arenaSizeBytes: 140_000, arenaUsedBytes: 90_000,
          stackBaseBytes: 4096, stackPerBlobBytes: 128, heapBytes: 16))
    #expect(
      s.counting
        == CountingModel(
          threshold: 50, minBlobPixels: 20, trackingRadius: 10, missRate: 0.1, phantomRate: 0.05,
          lineFraction: 0.25))
    #expect(
      s.faults == [
        SimulatedFault(kind: .hang, test: "corridor-busy", frame: 40),
        SimulatedFault(kind: .slowdown, test: "corridor-light", frame: 0, once: true, factor: 2.5),
      ])
  }

  @Test("an empty simulated section means the model's defaults")
  func defaults() throws {
    let dir = try TemporaryDirectory()
    let rig = try RigLoader.load(
      try dir.write("r.yaml", "rig: sim\nboard: virtual-rt1062\nsimulated:\n"))
    #expect(rig.timing == BenchTiming())
    #expect(rig.simulation == SimulationSettings())
  }

  @Test("a rig with neither a simulated nor hardware sections is refused with a hint")
  func needsSimulatedOrHardware() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write("r.yaml", "rig: bench-01\nboard: mimxrt1060-evk\n")
    let found = issues { () throws(ConfigError) in try RigLoader.load(file) }
    #expect(brief(found) == ["1:1: this rig has neither a simulated: section nor hardware sections"])
    #expect(found.first?.hint?.contains("simulated: {}") == true)
    #expect(found.first?.hint?.contains("console: and power:") == true)
  }

  @Test("reports each wrong value of the simulated section")
  func wrongValues() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write(
      "r.yaml",
      """
      rig: sim
      board: virtual-rt1062
      power: { gpio: 1 }
      timing: { boot_timeout: 10, hang_timeout: 0s }
      simulated:
        seed: -1
        pace: 11
        latency: { cpu_hz: 600e6, invoke_ms: "24" }
        memory: { arena_size_bytes: 1000, arena_used_bytes: 2000 }
        faults:
          - { kind: hnag, frame: 3 }
          - { kind: hang, factor: 2 }
          - { frame: -1 }
      """)
    let found = issues { () throws(ConfigError) in try RigLoader.load(file) }
    #expect(
      brief(found) == [
        "3:1: power: a simulated rig has no power: section",
        "4:25: timing.boot_timeout: expected a duration such as 30s, 500ms or 1m30s, found 10",
        "4:43: timing.hang_timeout: 0s is out of range",
        "6:9: simulated.seed: expected a whole number from 0 to 18446744073709551615, found -1",
        "7:9: simulated.pace: 11 is out of range",
        "8:22: simulated.latency.cpu_hz: expected a whole number, found 600e6",
        "8:40: simulated.latency.invoke_ms: expected a number, found the text \"24\"",
        "9:55: simulated.memory.arena_used_bytes: the arena uses 2000 bytes but holds only 1000",
        "11:15: simulated.faults[0].kind: 'hnag' is not a fault kind",
        "12:29: simulated.faults[1].factor: factor applies only to slowdown and miscount faults",
        "13:7: simulated.faults[2].kind: missing required key 'kind'",
        "13:16: simulated.faults[2].frame: -1 is out of range",
      ])
    #expect(found[0].hint?.contains("either the simulated bench") == true)
    #expect(found[1].hint == "add a unit: 10s or 10ms")
    #expect(found[6].hint == "remove the quotes")
    #expect(found[8].hint == "did you mean 'hang'?")
  }
}

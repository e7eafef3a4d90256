// SPDX-License-Identifier: Apache-2.0
import Foundation
import Yams

/// Loads a rig file into a validated `RigConfiguration`.
///
/// A rig is either the simulated bench (`simulated:`) or real hardware (`power:`, `console:` and
/// the optional `reset:`, `boot_mode:`, `result_pin:`, `camera:`, `flasher:`; read by
/// `RigLoader+Hardware.swift`). Deciding which here, rather than in each command, means
/// `rig validate` catches a rig that is neither or both.
public enum RigLoader {
  static let keys = ["rig", "board", "timing", "history", "simulated", "tags", "health"] + hardwareKeys
  static let timingKeys = ["power_off", "boot_timeout", "command_timeout", "hang_timeout"]
  static let simulatedKeys = [
    "seed", "boot_time", "pace", "latency", "memory", "counting", "faults", "flash", "camera",
    "regression",
  ]
  static let simulatedCameraKeys = ["format", "ram_kib"]
  static let latencyKeys = [
    "cpu_hz", "spi_hz", "invoke_ms", "per_person_ms", "per_active_pixel_ms", "preprocess_ms",
    "postprocess_ms", "jitter_ms", "run_offset_ms", "board_offset_ms", "spike_rate", "spike_ms",
  ]
  static let memoryKeys = [
    "static_bytes", "arena_size_bytes", "arena_used_bytes", "stack_base_bytes",
    "stack_per_blob_bytes", "heap_bytes",
  ]
  static let countingKeys = [
    "threshold", "min_blob_pixels", "tracking_radius", "miss_rate", "phantom_rate", "line",
  ]
  static let faultKeys = ["kind", "test", "frame", "factor", "once"]

  /// Loads and validates `file`.
  public static func load(_ file: URL, files: any FileAccess)
    throws(ConfigError) -> RigConfiguration
  {
    var issues: [ConfigIssue] = []
    let rig = load(file, files: files, into: &issues)
    guard let rig, issues.isEmpty else { throw ConfigError(IssueOrder.arrange(issues)) }
    return rig
  }

  static func load(_ file: URL, files: any FileAccess, into issues: inout [ConfigIssue])
    -> RigConfiguration?
  {
    let file = file.standardizedFileURL
    guard let document = YAMLDocument.load(file, what: "rig file", files: files, into: &issues)
    else {
      return nil
    }
    if let swapped = FileKindGuess.suiteFileReadAsRig(document.root, file: document.file) {
      issues.append(swapped)
      return nil
    }
    let r = ConfigReader(file: document.file, files: files)
    defer { issues += r.issues }
    guard
      let root = r.table(
        document.root, at: "", keys: keys, required: ["rig", "board"],
        what: "a rig (rig:, board:, then simulated: or power:, console:, …)")
    else { return nil }
    let name = r.name(root, "rig", what: "a rig name")
    let board = r.name(root, "board", what: "a board kind such as mimxrt1060-evk")
    let timing = readTiming(root, r)
    var simulation: SimulationSettings?
    var hardware: HardwareSettings?
    let hardwareSections = hardwareKeys.filter { root[$0] != nil }
    if root["simulated"] != nil {
      simulation = readSimulation(root, r)
      for key in hardwareSections {
        r.report(
          root.entries[key]?.key, key, "a simulated rig has no \(key): section",
          hint: "a rig is either the simulated bench (simulated:) or real hardware "
            + "(power:, console:, …); remove one or the other")
      }
    } else if !hardwareSections.isEmpty {
      hardware = readHardware(root, r, base: file.deletingLastPathComponent())
    } else {
      r.report(
        root.node, "", "this rig has neither a simulated: section nor hardware sections",
        hint: "add simulated: {} for the simulated bench, or console: and power: for real "
          + "hardware (docs/bench-setup.md)")
    }
    guard let name, let board else { return nil }
    if let flash = root["simulated"]?["flash"], !ConfigReader.isNull(flash) {
      simulation?.flash = SimulatedFlashReader.read(
        flash, at: "simulated.flash", rig: name, base: file.deletingLastPathComponent(), r)
    }
    var configuration = RigConfiguration(
      name: name, file: file, board: board, timing: timing, simulation: simulation,
      hardware: hardware)
    // Where this bench's runs are recorded (docs/history.md): a path relative to the rig file,
    // or `off`.
    if let history = r.text(root, "history", what: "a history database path, or off") {
      configuration.history =
        history == "off"
        ? .off
        : .file(
          URL(
            fileURLWithPath: (history as NSString).expandingTildeInPath,
            relativeTo: file.deletingLastPathComponent()
          ).standardizedFileURL)
    }
    readPoolKeys(root, into: &configuration, r)
    return configuration
  }

  private static func readTiming(_ root: ConfigTable, _ r: ConfigReader) -> BenchTiming {
    var timing = BenchTiming()
    guard let t = r.table(root, "timing", keys: timingKeys) else { return timing }
    let atLeast = Duration.milliseconds(1)
    timing.powerOffTime = r.duration(t, "power_off") ?? timing.powerOffTime
    timing.bootTimeout = r.duration(t, "boot_timeout", minimum: atLeast) ?? timing.bootTimeout
    timing.commandTimeout =
      r.duration(t, "command_timeout", minimum: atLeast) ?? timing.commandTimeout
    timing.hangTimeout = r.duration(t, "hang_timeout", minimum: atLeast) ?? timing.hangTimeout
    return timing
  }

  private static func readSimulation(_ root: ConfigTable, _ r: ConfigReader) -> SimulationSettings?
  {
    guard let t = r.table(root, "simulated", keys: simulatedKeys) else { return nil }
    var s = SimulationSettings()
    s.seed = r.uint64(t, "seed") ?? s.seed
    s.bootTime = r.duration(t, "boot_time", maximum: .seconds(600)) ?? s.bootTime
    s.pace = r.double(t, "pace", in: 0...10) ?? s.pace

    if let c = r.table(t, "camera", keys: simulatedCameraKeys) {
      s.camera.format = r.choice(c, "format", what: "a pixel format")
      // Enough for one QVGA RGB565 frame at least; an RP2350 has 520 KiB in all.
      s.camera.ramBytes = (r.int(c, "ram_kib", in: 160...8192) ?? s.camera.ramBytes / 1024) * 1024
    }

    if let l = r.table(t, "latency", keys: latencyKeys) {
      let ms = 0.0...10_000
      s.latency.cpuHz = r.int(l, "cpu_hz", in: 1_000_000...5_000_000_000) ?? s.latency.cpuHz
      s.latency.spiHz = r.int(l, "spi_hz", in: 1_000...200_000_000) ?? s.latency.spiHz
      s.latency.invokeMs = r.double(l, "invoke_ms", in: ms) ?? s.latency.invokeMs
      s.latency.perPersonMs = r.double(l, "per_person_ms", in: ms) ?? s.latency.perPersonMs
      s.latency.perActivePixelMs =
        r.double(l, "per_active_pixel_ms", in: ms) ?? s.latency.perActivePixelMs
      s.latency.preprocessMs = r.double(l, "preprocess_ms", in: ms) ?? s.latency.preprocessMs
      s.latency.postprocessMs = r.double(l, "postprocess_ms", in: ms) ?? s.latency.postprocessMs
      s.latency.jitterMs = r.double(l, "jitter_ms", in: ms) ?? s.latency.jitterMs
      s.latency.runOffsetMs = r.double(l, "run_offset_ms", in: ms) ?? s.latency.runOffsetMs
      s.latency.boardOffsetMs = r.double(l, "board_offset_ms", in: ms) ?? s.latency.boardOffsetMs
      s.latency.spikeRate = r.double(l, "spike_rate", in: 0...1) ?? s.latency.spikeRate
      s.latency.spikeMs = r.double(l, "spike_ms", in: ms) ?? s.latency.spikeMs
    }

    if let m = r.table(t, "memory", keys: memoryKeys) {
      // The RT1062 has 1 MiB of on-chip RAM; 64 MiB leaves room for external SDRAM builds.
      let bytes = 0...(64 << 20)
      s.memory.staticBytes = r.int(m, "static_bytes", in: bytes) ?? s.memory.staticBytes
      s.memory.arenaSizeBytes = r.int(m, "arena_size_bytes", in: bytes) ?? s.memory.arenaSizeBytes
      s.memory.arenaUsedBytes = r.int(m, "arena_used_bytes", in: bytes) ?? s.memory.arenaUsedBytes
      s.memory.stackBaseBytes = r.int(m, "stack_base_bytes", in: bytes) ?? s.memory.stackBaseBytes
      s.memory.stackPerBlobBytes =
        r.int(m, "stack_per_blob_bytes", in: bytes) ?? s.memory.stackPerBlobBytes
      s.memory.heapBytes = r.int(m, "heap_bytes", in: bytes) ?? s.memory.heapBytes
      if s.memory.arenaUsedBytes > s.memory.arenaSizeBytes {
        r.report(
          m["arena_used_bytes"] ?? m["arena_size_bytes"] ?? m.node, m.path("arena_used_bytes"),
          "the arena uses \(s.memory.arenaUsedBytes) bytes "
            + "but holds only \(s.memory.arenaSizeBytes)",
          hint: "arena_used_bytes must not exceed arena_size_bytes")
      }
    }

    if let c = r.table(t, "counting", keys: countingKeys) {
      s.counting.threshold = r.int(c, "threshold", in: 1...255) ?? s.counting.threshold
      s.counting.minBlobPixels =
        r.int(c, "min_blob_pixels", in: 1...1_000_000) ?? s.counting.minBlobPixels
      s.counting.trackingRadius =
        r.double(c, "tracking_radius", in: 0.1...10_000) ?? s.counting.trackingRadius
      s.counting.missRate = r.double(c, "miss_rate", in: 0...1) ?? s.counting.missRate
      s.counting.phantomRate = r.double(c, "phantom_rate", in: 0...1) ?? s.counting.phantomRate
      s.counting.lineFraction = r.double(c, "line", in: 0...1) ?? s.counting.lineFraction
    }

    if let node = t["faults"], !ConfigReader.isNull(node),
      let items = r.list(node, at: t.path("faults"), of: "faults such as { kind: hang, frame: 40 }")
    {
      s.faults = items.enumerated().compactMap { index, item in
        readFault(item, at: "\(t.path("faults"))[\(index)]", r)
      }
    }
    s.regression = readRegression(t, r) ?? s.regression
    return s
  }

  private static func readFault(_ node: Node, at path: String, _ r: ConfigReader) -> SimulatedFault?
  {
    guard
      let f = r.table(
        node, at: path, keys: faultKeys, required: ["kind"],
        what: "a fault such as { kind: hang, test: corridor-busy, frame: 40 }")
    else { return nil }
    let kind: SimulatedFault.Kind? = r.choice(f, "kind", what: "a fault kind")
    let test = r.name(f, "test", what: "a test name")
    let frame = r.int(f, "frame", in: 0...10_000_000) ?? 0
    let once = r.bool(f, "once") ?? false
    let factor = r.double(f, "factor", in: -1_000...1_000)
    guard let kind else { return nil }
    if let factorNode = f["factor"], kind != .slowdown && kind != .miscount {
      r.report(
        factorNode, f.path("factor"), "factor applies only to slowdown and miscount faults",
        hint: "remove it from this \(kind.rawValue) fault")
    }
    if kind == .slowdown, let factor, factor <= 0 {
      r.report(
        f["factor"], f.path("factor"), "a slowdown factor multiplies latency and must be above 0")
    }
    return SimulatedFault(kind: kind, test: test, frame: frame, once: once, factor: factor ?? 1)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The simulated bench built into rig: `Rigs/sim.yaml`, compiled in, so `rig run suite.yaml`
/// works from any folder.
///
/// Which rig a command uses (`RigLoader.load(reference:)`): `--rig FILE` loads that file;
/// `--rig sim` is the built-in simulated bench (write `./sim` for a file named `sim`); with no
/// `--rig`, `Rigs/sim.yaml` in the current folder when it is there (a repository checkout,
/// where it can be edited), else the built-in one.
extension RigLoader {
  /// The name `--rig` takes for the built-in simulated bench.
  public static let builtInSimName = "sim"
  /// The rig file used when none is named and it exists.
  public static let defaultRigFile = "Rigs/sim.yaml"
  /// Where messages and reports say the built-in rig comes from; no such file exists.
  public static let builtInSimFile = URL(fileURLWithPath: "built-in:sim")

  /// The rig `reference` names: a rig file, `sim` for the built-in simulated bench, or nil for
  /// `Rigs/sim.yaml` when present and the built-in simulated bench otherwise.
  public static func load(reference: String?, files: any FileAccess)
    throws(ConfigError) -> RigConfiguration
  {
    switch reference {
    case nil:
      if case .file = files.kind(of: defaultRigFile) {
        return try load(URL(fileURLWithPath: defaultRigFile), files: files)
      }
      return try loadBuiltInSim()
    case builtInSimName?:
      return try loadBuiltInSim()
    case let path?:
      return try load(URL(fileURLWithPath: path), files: files)
    }
  }

  /// Whether `rig` is the built-in simulated bench.
  public static func isBuiltIn(_ rig: RigConfiguration) -> Bool {
    rig.file.standardizedFileURL == builtInSimFile.standardizedFileURL
  }

  static func loadBuiltInSim() throws(ConfigError) -> RigConfiguration {
    try load(builtInSimFile, files: BuiltInFile(path: builtInSimFile.path, text: builtInSimYAML))
  }

  /// `Rigs/sim.yaml`, word for word (a test keeps the two the same).
  public static let builtInSimYAML = """
    # The simulated bench: a virtual RT1062 running people-counting firmware, read through a simulated
    # ArduCAM SPI camera emulator, on a virtual power switch and console. `rig run` uses it when no
    # --rig is given. Every knob is documented in docs/simulated-bench.md.
    rig: sim
    board: virtual-rt1062
    timing: { power_off: 100ms, boot_timeout: 5s, command_timeout: 2s, hang_timeout: 3s }
    simulated:
      seed: 42
      boot_time: 250ms
      pace: 0               # 0: as fast as the host can go; 1: the modelled device latency in real time
      latency: { cpu_hz: 600000000, spi_hz: 8000000, invoke_ms: 24, per_person_ms: 0.8, jitter_ms: 0.4 }
      memory: { static_bytes: 98304, arena_size_bytes: 139264, arena_used_bytes: 85264, stack_base_bytes: 6144 }
      counting: { threshold: 40, min_blob_pixels: 30, tracking_radius: 14 }
      # The board's ROM, flashloader and 8 MiB FlexSPI NOR. The flash persists in
      # ${XDG_STATE_HOME:-~/.local/state}/rig/sim/flash.bin, so a flashed image survives runs.
      flash: { baud: 921600, max_packet_size: 1024 }

    """
}

/// One file that is not on disk: the built-in rig's text.
private struct BuiltInFile: FileAccess {
  let path: String
  let text: String

  func kind(of path: String) -> FileKind {
    path == self.path ? .file(size: text.utf8.count, readable: true) : .missing
  }

  func read(_ path: String, limit: Int) throws(FileReadFailure) -> [UInt8] {
    guard path == self.path else { throw .missing }
    guard text.utf8.count <= limit else { throw .tooLarge(size: text.utf8.count, limit: limit) }
    return Array(text.utf8)
  }

  func readPrefix(_ path: String, count: Int) throws(FileReadFailure) -> [UInt8] {
    Array(try read(path, limit: .max - 1).prefix(count))
  }

  func folder(_ path: String) -> Result<any FolderAccess, FileReadFailure> { .failure(.missing) }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import FuzzSupport
import RigCore

/// Rig files, simulated and hardware, through the configuration reader. Invariants
/// (`ConfigFuzzing.check`): the same outcome each time, every issue bounded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRigYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let files = InMemoryFiles(["/fuzz/rig.yaml": Fuzz.bytes(data, size)])
  ConfigFuzzing.check { () throws(ConfigError) in
    try RigLoader.load(URL(fileURLWithPath: "/fuzz/rig.yaml"), files: files)
  }
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    [
      """
      rig: sim
      board: virtual-rt1062
      timing: { power_off: 100ms, boot_timeout: 5s, command_timeout: 2s, hang_timeout: 3s }
      simulated:
        seed: 42
        pace: 0
        latency: { cpu_hz: 600000000, invoke_ms: 24, per_person_ms: 0.8, jitter_ms: 0.4 }
        memory: { static_bytes: 98304, arena_size_bytes: 139264, arena_used_bytes: 85264 }
        counting: { threshold: 40, min_blob_pixels: 30, tracking_radius: 14 }
        faults: [{ kind: hang, test: corridor, frame: 40 }, { kind: slowdown, factor: 1.5 }]
        flash: { baud: 921600, max_packet_size: 1024, faults: [{ kind: nak, command: write_memory }] }

      """,
      """
      rig: bench-01
      board: mimxrt1060-evk
      power: { gpio: { chip: gpiochip0, line: GPIO17 }, off_time: 500ms }
      reset: { gpio: { line: GPIO27, active_low: true }, pulse: 100ms }
      boot_mode: { gpio: { lines: [GPIO5, GPIO6] }, serial_downloader: [0, 1], internal: [1, 0] }
      console: { port: /dev/serial/by-id/usb-NXP_MCU-LINK-if02, baud: 115200 }
      camera: { emulator: { usb: { vid: 2e8a, pid: "000a", serial: E6614103 } } }
      flasher: { native: { flashloader: vendor/ivt_flashloader.bin } }

      """,
      """
      rig: cmd
      board: teensy41
      power: { command: { on: [uhubctl, -a, on], off: [uhubctl, -a, off], timeout: 5s } }
      console: { port: /dev/ttyACM0 }
      flasher: { command: [teensy_loader_cli, --mcu=TEENSY41, -w, "{image}"], timeout: 60s }

      """,
    ].map { Array($0.utf8) }
  }
  return 0
}

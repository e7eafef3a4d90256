// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

/// The flasher of hardware rig files through the real `rig` binary: validation and the doctor.
@Suite("rig validate and rig doctor on a hardware rig's flasher", .timeLimit(.minutes(TestTime.minutes(2))))
struct FlasherCommandTests {
  static func bench(_ flasher: String) -> String {
    """
    rig: bench-flasher
    board: mimxrt1060-evk
    power:     { gpio: { line: GPIO17 } }
    boot_mode: { gpio: { lines: [GPIO5, GPIO6] }, serial_downloader: [0, 1], internal: [1, 0] }
    console:   { port: /dev/serial/by-id/usb-NXP_Semiconductors_MCU-LINK_on-board_RIGTEST-if02 }
    \(flasher)
    """
  }

  @Test("rig doctor names a flasher program that is not on PATH, and exits 69")
  func doctorMissingProgram() async throws {
    let rig = try RigCommand()
    let file = try rig.write(
      "bench.yaml", Self.bench(#"flasher: { command: [[rig-no-such-flash-tool, "{hex}"]] }"#))
    let result = try await rig.run(["doctor", "--rig", file.path])
    #expect(result.status == 69, "\(result.stdout)\n\(result.stderr)")
    #expect(
      result.stdout.contains(
        "FAIL  command flasher program rig-no-such-flash-tool: 'rig-no-such-flash-tool' is not on "
          + "PATH (fix: install it, or write its full path in the rig file)"),
      "\(result.stdout)")
  }

  @Test("rig validate refuses a native flasher without its flashloader, saying where to get it")
  func validateMissingFlashloader() async throws {
    let rig = try RigCommand()
    let file = try rig.write(
      "bench.yaml", Self.bench("flasher: { native: { flashloader: vendor/ivt_flashloader.bin } }"))
    let result = try await rig.run(["validate", file.path])
    #expect(result.status == 78, "\(result.stdout)\n\(result.stderr)")
    let output = result.stdout + result.stderr
    #expect(
      output.contains(
        "bench.yaml:6:35: flasher.native.flashloader: flashloader "), "\(output)")
    #expect(output.contains("vendor/ivt_flashloader.bin not found"))
    #expect(output.contains("NXP's licence does not allow redistributing it"))
  }
}

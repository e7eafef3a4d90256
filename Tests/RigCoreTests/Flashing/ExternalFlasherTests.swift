// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import RigTestSupport
import Testing

@Suite struct ExternalFlasherTests {
  /// A supply that remembers every switch.
  final class RecordingPower: PowerSwitch {
    let states = Locked<[PowerState]>([])
    func set(_ state: PowerState) async throws { states.withLock { $0.append(state) } }
  }

  let folder: URL
  let image: FirmwareImage

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("rig-ext-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    image = FirmwareImage(
      file: folder.appendingPathComponent("fw.hex"), loadAddress: 0x6000_0000,
      bytes: FlexSPIBootImage.make(application: Array(0..<200)))
  }

  @Test("a custom command gets the image through {bin} and {hex}, runs without a shell, and leaves power off")
  func customCommand() async throws {
    let bin = folder.appendingPathComponent("out.bin")
    let hex = folder.appendingPathComponent("out.hex")
    let power = RecordingPower()
    let flasher = ExternalFlasher(
      settings: ExternalFlasherSettings(steps: [["cp", "{bin}", bin.path], ["cp", "{hex}", hex.path]]), power: power, runner: ChildProcessRunner())
    let report = try await flasher.flash(image, deadline: .now + .seconds(120))
    #expect([UInt8](try Data(contentsOf: bin)) == image.bytes)
    #expect(try FirmwareImageReader.read(hex).bytes == image.bytes)
    #expect(report.imageHash == image.hash)
    #expect(report.method == "cp")
    #expect(power.states.withLock { $0.last } == .off)
  }

  @Test("a failing program is a flash error naming the command and its exit status")
  func exitStatus() async throws {
    let power = RecordingPower()
    let flasher = ExternalFlasher(settings: ExternalFlasherSettings(steps: [["ls", "/nonexistent-rig-path"]]), power: power, runner: ChildProcessRunner())
    let error = await #expect(throws: FlashError.self) { _ = try await flasher.flash(image, deadline: .now + .seconds(120)) }
    #expect(error?.stage == .tool)
    #expect(error?.command == "ls /nonexistent-rig-path")
    #expect(error?.status == "exit 2")
    #expect(error?.code == .toolFailed)
    #expect(error?.log.contains { $0.contains("No such file") } == true)
    #expect(power.states.withLock { $0.last } == .off)
  }

  @Test("a program running past its timeout is killed and reported as timed out")
  func timeout() async throws {
    let flasher = ExternalFlasher(
      settings: ExternalFlasherSettings(steps: [["sleep", "600"]], timeout: .milliseconds(300)), power: RecordingPower(), runner: ChildProcessRunner())
    let start = ContinuousClock.now
    let error = await #expect(throws: FlashError.self) { _ = try await flasher.flash(image, deadline: .now + .seconds(900)) }
    #expect(error?.code == .timedOut)
    // Killed, not waited for: far less than the program's 600 s, even on a busy machine.
    #expect(ContinuousClock.now - start < TestTime.scaled(.seconds(120)))
  }

  @Test("a program missing from PATH is named")
  func missing() async throws {
    let flasher = ExternalFlasher(settings: ExternalFlasherSettings(steps: [["rig-no-such-flasher"]]), power: RecordingPower(), runner: ChildProcessRunner())
    let error = await #expect(throws: FlashError.self) { _ = try await flasher.flash(image, deadline: .now + .seconds(120)) }
    #expect(error?.detail.contains("'rig-no-such-flasher' not found on PATH") == true)
  }

  @Test("the presets name the RT1062 the way each tool expects")
  func presets() {
    #expect(ExternalFlasherSettings.pyocd().steps == [["pyocd", "flash", "--target", "mimxrt1060", "{hex}"]])
    #expect(ExternalFlasherSettings.pyocd(probe: "0229X").steps[0].contains("0229X"))
    let jlink = ExternalFlasherSettings.jlink().steps[0]
    #expect(jlink.contains("MIMXRT1062xxx6A?BankAddr=0x60000000&Loader=QSPI"))
    #expect(jlink.last == "{jlink_script}")
    #expect(ExternalFlasherSettings.jlinkScript.contains("loadfile \"{hex}\""))
    let teensy = ExternalFlasherSettings.teensy(programPin: "GPIO22")
    #expect(teensy.steps == [["teensy_loader_cli", "--mcu=TEENSY41", "-w", "-v", "{hex}"]])
    #expect(teensy.programPin == "GPIO22")
    let blhost = ExternalFlasherSettings.blhost(flashloader: nil)
    #expect(blhost.usesBootMode)
    #expect(blhost.steps.first?.contains("write-file") == true)
    #expect(blhost.steps.contains { $0.contains("configure-memory") && $0.contains("9") })
    #expect(blhost.steps.last?.last == "reset")
  }

  @Test("blhost without a flashloader file says what to set")
  func blhostNeedsFlashloader() async throws {
    let flasher = ExternalFlasher(settings: .blhost(flashloader: nil), power: RecordingPower(), runner: ChildProcessRunner())
    let error = await #expect(throws: FlashError.self) { _ = try await flasher.flash(image, deadline: .now + .seconds(120)) }
    #expect(error?.code == .configInvalid)
  }
}

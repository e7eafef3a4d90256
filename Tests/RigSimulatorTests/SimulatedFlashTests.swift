// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

@testable import RigSimulator

/// The native flasher against the simulated ROM and flashloader, in process: what gets written,
/// what the board boots afterwards, and what each injected fault does.
@Suite(.timeLimit(.minutes(TestTime.minutes(1)))) struct SimulatedFlashTests {
  /// A bench with a fast line (flashing takes milliseconds) and the given flash faults.
  private func bench(_ faults: [SimulatedFlashFault] = [], baud: Int = 0) -> SimulatedBench {
    var settings = SimulationSettings(bootTime: .milliseconds(5))
    settings.flash = SimulatedFlashSettings(baud: baud, faults: faults)
    let rig = RigConfiguration(
      name: "sim-flash-test", file: URL(fileURLWithPath: "/dev/null"), board: "virtual-rt1062",
      timing: BenchTiming(powerOffTime: .milliseconds(5)), simulation: settings)
    return SimulatedBench(settings: settings, rig: rig)
  }

  /// A bootable test image with `seed`-dependent application bytes. Small: every MBoot data
  /// packet is a round trip through the host's tasks and the board's thread, so on a loaded
  /// machine the flash's time grows with the packets, not the bytes; 2,000 bytes still take
  /// several packets past the boot header, enough for the faults on frame 1.
  private func image(seed: UInt8, size: Int = 2_000) -> FirmwareImage {
    let application = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
    return FirmwareImage(
      file: URL(fileURLWithPath: "test-\(seed).bin"), loadAddress: RT1062MemoryMap.flexSPIBase,
      bytes: FlexSPIBootImage.make(application: application))
  }

  /// Powers the board on and returns the `img` of its boot record, or nil if it did not boot.
  private func bootHash(_ simulated: SimulatedBench, within: Duration = .seconds(2)) async throws -> String? {
    let bench = simulated.bench()
    let records = RecordReader(console: bench.console)
    try await bench.power.set(.on)
    let hash = try await records.next("boot", within: within)?.fields["img"]
    try await bench.power.set(.off)
    return hash
  }

  @Test("a new board boots its factory image and reports that image's hash")
  func factory() async throws {
    let simulated = bench()
    let expected = SHA256.hex(ROMImages.factoryFirmware)
    #expect(try await bootHash(simulated) == expected)
    await simulated.shutdown()
  }

  @Test("the native flasher writes an image; the board then boots it and reports its hash")
  func flashAndBoot() async throws {
    let simulated = bench()
    let bench = simulated.bench()
    let image = image(seed: 1)
    let report = try await #require(bench.flasher).flash(image, deadline: TestTime.deadline(in: .seconds(20)))
    #expect(report.bytes == image.bytes.count)
    #expect(report.imageHash == image.hash)
    #expect(!simulated.power.isOn)
    #expect(simulated.bootMode.selected == .internal)
    #expect(simulated.flash.read(offset: 0, count: image.bytes.count) == image.bytes)
    #expect(try await bootHash(simulated) == image.hash)
    await simulated.shutdown()
  }

  @Test("an image without boot header does not boot: no boot record, the ROM waits in the serial downloader")
  func unbootable() async throws {
    let simulated = bench()
    let raw = FirmwareImage(
      file: URL(fileURLWithPath: "raw.bin"), loadAddress: RT1062MemoryMap.flexSPIBase,
      bytes: [UInt8](repeating: 0x42, count: 8192))
    _ = try await #require(simulated.bench().flasher).flash(raw, deadline: TestTime.deadline(in: .seconds(20)))
    #expect(try await bootHash(simulated, within: .milliseconds(500)) == nil)
    // The ROM fell back to the serial downloader: it answers ERROR_STATUS with HAB open.
    let console = simulated.bench().console
    try await simulated.power.set(.on)
    var reply: [UInt8] = []
    // Bytes sent before the ROM has set up the UART are lost, as on hardware: probe until heard.
    for _ in 0..<10 where reply.isEmpty {
      try await console.write(SDPCommand.errorStatus.bytes, deadline: .now + .seconds(1))
      while reply.count < 8, let chunk = try await console.read(until: .now + .milliseconds(200)) {
        reply += chunk.bytes
      }
    }
    #expect(reply == SDPResponse.bytes(SDPResponse.habOpen) + SDPResponse.bytes(SDPResponse.habSuccess))
    await simulated.shutdown()
  }

  @Test("writing flash that was not erased is refused with MemoryCumulativeWrite")
  func cumulativeWrite() throws {
    let flash = FlashArray(size: 64 * 1024, initial: [0x0F])
    #expect(throws: FlashArray.Refusal.cumulativeWrite(offset: 0)) { try flash.program(offset: 0, [0xF0]) }
    try flash.program(offset: 0, [0x0E])
    try flash.erase(offset: 0, count: 4096)
    try flash.program(offset: 0, [0xF0])
    #expect(flash.read(offset: 0, count: 1) == [0xF0])
    #expect(throws: FlashArray.Refusal.alignment) { try flash.erase(offset: 100, count: 4096) }
  }

  @Test("transient NAKs and CRC errors are retried and the flash succeeds", arguments: [
    SimulatedFlashFault(kind: .nak, command: "write_memory", frame: 1, times: 2),
    SimulatedFlashFault(kind: .nak, command: "get_property", times: 1),
    SimulatedFlashFault(kind: .crcError, command: "read_memory", frame: 1, times: 2),
    SimulatedFlashFault(kind: .crcError, command: "flash_erase_region", times: 1),
  ])
  func transient(fault: SimulatedFlashFault) async throws {
    let simulated = bench([fault])
    let image = image(seed: 2)
    _ = try await #require(simulated.bench().flasher).flash(image, deadline: TestTime.deadline(in: .seconds(20)))
    #expect(try await bootHash(simulated) == image.hash)
    await simulated.shutdown()
  }

  @Test("each persistent fault fails the flash naming stage, command and status; the board is left off", arguments: [
    (SimulatedFlashFault(kind: .nak, command: "write_memory", frame: 1, times: 0), "stage write", "NAKed a DATA"),
    (SimulatedFlashFault(kind: .crcError, command: "read_memory", frame: 1, times: 0), "stage verify", "bad CRC"),
    (SimulatedFlashFault(kind: .noAnswer, command: "error_status"), "stage rom, command ERROR_STATUS", "no answer"),
    (SimulatedFlashFault(kind: .noAnswer, command: "flash_erase_region"), "stage erase, command FlashEraseRegion", "no ACK"),
    (SimulatedFlashFault(kind: .eraseFailed), "stage erase", "status 20101 FLEXSPINOREraseSectorFail"),
    (SimulatedFlashFault(kind: .writeFailed), "stage write", "status 20100 FLEXSPINORProgramFail"),
    (SimulatedFlashFault(kind: .verifyMismatch), "stage verify", "status 10207 MemoryVerifyFailed"),
    (SimulatedFlashFault(kind: .flashloaderSilent), "stage flashloader, command ping", "did not answer"),
  ])
  func persistent(fault: SimulatedFlashFault, stage: String, words: String) async throws {
    let simulated = bench([fault])
    let flasher = simulated.bench().flasher!
    let error = await #expect(throws: FlashError.self) {
      _ = try await flasher.flash(image(seed: 3), deadline: TestTime.deadline(in: .seconds(30)))
    }
    let text = error?.description ?? ""
    #expect(text.contains(stage), "\(text)")
    #expect(text.contains(words), "\(text)")
    #expect(error?.log.isEmpty == false)
    #expect(!simulated.power.isOn)
    #expect(simulated.bootMode.selected == .internal)
    await simulated.shutdown()
  }

  @Test("an erase the flashloader cannot align to sectors fails with MemoryAlignmentError")
  func unalignedErase() async throws {
    let simulated = bench()
    let bench = simulated.bench()
    let image = image(seed: 4)
    var settings = NativeFlasherSettings(baud: 0, pingTimeout: .seconds(2))
    // An erase unit too small to cover the image: the flasher erases nothing useful.
    settings.eraseUnit = 1
    settings.commandTimeout = .seconds(2)
    let flasher = NativeFlasher(
      console: bench.console, power: bench.power, bootMode: simulated.bootMode, settings: settings,
      flashloaderImage: ROMImages.flashloader, powerOffTime: .milliseconds(5))
    let error = await #expect(throws: FlashError.self) {
      _ = try await flasher.flash(image, deadline: TestTime.deadline(in: .seconds(20)))
    }
    #expect(error?.description.contains("stage erase") == true, "\(error?.description ?? "")")
    #expect(error?.description.contains("10206 MemoryAlignmentError") == true)
    await simulated.shutdown()
  }
}

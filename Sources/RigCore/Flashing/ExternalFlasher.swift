// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Flashes by running external programs (pyOCD, J-Link, teensy_loader_cli, NXP's blhost, or a
/// custom command): each step an argv template, no shell, killed at its timeout; its output goes
/// into the flash log, and a non-zero exit is a flash error naming the command and its status.
/// The board is left powered off with internal boot selected.
public struct ExternalFlasher: Flasher {
  public let settings: ExternalFlasherSettings
  public let power: any PowerSwitch
  public let bootMode: (any BootModeControl)?
  /// The PROGRAM pin (active = pulled low), when the settings name one.
  public let programPin: (any DigitalOutput)?
  /// Runs the steps' programs.
  public let runner: any CommandRunner

  public init(
    settings: ExternalFlasherSettings, power: any PowerSwitch, bootMode: (any BootModeControl)? = nil,
    programPin: (any DigitalOutput)? = nil, runner: any CommandRunner
  ) {
    self.runner = runner
    self.settings = settings
    self.power = power
    self.bootMode = bootMode
    self.programPin = programPin
  }

  public var method: String { settings.preset ?? settings.steps.first?.first ?? "command" }

  public func flash(
    _ image: FirmwareImage, deadline: ContinuousClock.Instant, progress: (@Sendable (FlashProgress) -> Void)?
  ) async throws -> FlashReport {
    let log = FlashLog()
    let started = ContinuousClock.now
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rig-flash-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let values = try placeholders(image, folder: folder)
      try await prepareBoard(log: log)
      for (index, template) in settings.steps.enumerated() {
        guard ContinuousClock.now < deadline else {
          throw FlashError(stage: .tool, detail: "the flash ran past its overall deadline", code: .timedOut)
        }
        let argv = template.map { Self.expand($0, values) }
        let shown = argv.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        progress?(FlashProgress(stage: "tool", done: index, total: settings.steps.count, bytesPerSecond: 0))
        log.add("$ \(shown)")
        let execution: CommandExecution
        do {
          execution = try await runner.execute(
            HardwareSettings.Command(argv: argv, timeout: settings.timeout), purpose: "flash")
        } catch let error as RigError {
          throw FlashError(stage: .tool, command: shown, detail: error.message, code: .toolFailed)
        }
        let output = [execution.stdout, execution.stderr].filter { !$0.isEmpty }.joined(separator: "\n")
        for line in output.split(separator: "\n").suffix(40) { log.add("  \(line)") }
        switch execution.end {
        case .exited(0):
          break
        case .timedOut:
          throw FlashError(
            stage: .tool, command: shown, detail: "killed after running longer than \(settings.timeout)",
            code: .timedOut)
        case .exited(let status), .signalled(let status):
          let tail = output.split(separator: "\n").suffix(3).joined(separator: " | ")
          let how = execution.end == .exited(status) ? "exit \(status)" : "signal \(status)"
          throw FlashError(
            stage: .tool, command: shown, status: how,
            detail: tail.isEmpty ? "the program failed without output" : tail, code: .toolFailed)
        }
      }
      if let readback = values["{readback}"], FileManager.default.fileExists(atPath: readback) {
        let back = [UInt8](try Data(contentsOf: URL(fileURLWithPath: readback)))
        guard back == image.bytes else {
          throw FlashError(
            stage: .verify, status: MBootStatus.memoryVerifyFailed.description,
            detail: "the image read back differs from the file")
        }
        log.add("verified \(back.count) bytes read back")
      }
    } catch var error as FlashError {
      await makeSafe(log: log)
      error.log = log.lines
      throw error
    } catch {
      await makeSafe(log: log)
      throw FlashError(stage: .tool, detail: ErrorText.describe(error), code: .toolFailed, log: log.lines)
    }
    await makeSafe(log: log)
    return FlashReport(
      bytes: image.bytes.count, seconds: (ContinuousClock.now - started).seconds, skipped: false, method: method,
      imageHash: image.hash, image: image.file.displayPath)
  }

  /// Power and pins for the tools: serial downloader and power on for the ROM path; a PROGRAM
  /// pulse for HalfKay; otherwise just power (a debug probe needs the target powered).
  private func prepareBoard(log: FlashLog) async throws {
    try await power.set(.off)
    if settings.usesBootMode {
      guard let bootMode else {
        throw FlashError(
          stage: .bootMode, detail: "the \(method) flasher needs the boot-mode pins, and the rig has no boot_mode:",
          code: .configInvalid)
      }
      try await bootMode.select(.serialDownloader)
      log.add("boot mode serial_downloader")
    }
    try await power.set(.on)
    log.add("power on")
    if settings.programPin != nil {
      guard let programPin else {
        throw FlashError(stage: .bootMode, detail: "the PROGRAM pin \(settings.programPin ?? "") is not available", code: .configInvalid)
      }
      // Short: held low for 13–17 s the Teensy wipes its flash and restores the blink sketch.
      try await programPin.set(true)
      try await Task.sleep(for: settings.pulse)
      try await programPin.set(false)
      log.add("PROGRAM pin \(programPin.name) pulsed for \(settings.pulse)")
    }
  }

  private func makeSafe(log: FlashLog) async {
    // A pulse cut short (cancelled mid-sleep) must not leave the PROGRAM pin held: on a Teensy,
    // 13 s held wipes the flash.
    try? await programPin?.set(false)
    try? await bootMode?.select(.internal)
    try? await power.set(.off)
    log.add("power off")
  }

  /// Placeholder values, writing the files the steps name.
  private func placeholders(_ image: FirmwareImage, folder: URL) throws -> [String: String] {
    let referenced = Set(settings.steps.flatMap { $0 }.flatMap { Self.names(in: $0) })
    var values: [String: String] = [
      "{image}": image.file.path, "{address}": hex32(image.loadAddress), "{length}": String(image.bytes.count),
      "{erase_length}": String((image.bytes.count + 4095) / 4096 * 4096),
    ]
    let hex = folder.appendingPathComponent("image.hex")
    if referenced.contains("{hex}") || referenced.contains("{jlink_script}") {
      try IntelHexWriter.text([ImageSegment(address: image.loadAddress, bytes: image.bytes)])
        .write(to: hex, atomically: true, encoding: .ascii)
      values["{hex}"] = hex.path
    }
    if referenced.contains("{bin}") {
      let bin = folder.appendingPathComponent("image.bin")
      try Data(image.bytes).write(to: bin)
      values["{bin}"] = bin.path
    }
    if referenced.contains("{jlink_script}") {
      let script = folder.appendingPathComponent("flash.jlink")
      try Self.expand(ExternalFlasherSettings.jlinkScript, values).write(to: script, atomically: true, encoding: .utf8)
      values["{jlink_script}"] = script.path
    }
    if referenced.contains("{readback}") {
      values["{readback}"] = folder.appendingPathComponent("readback.bin").path
    }
    if referenced.contains("{flashloader}") {
      guard let flashloader = settings.flashloader else {
        throw FlashError(
          stage: .tool, detail: "the steps need {flashloader}: set flasher.flashloader to NXP's ivt_flashloader.bin",
          code: .configInvalid)
      }
      values["{flashloader}"] = flashloader.path
    }
    return values
  }

  static func names(in argument: String) -> [String] {
    var found: [String] = []
    var rest = Substring(argument)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      found.append(String(rest[open...close]))
      rest = rest[rest.index(after: close)...]
    }
    return found
  }

  /// `template` with every known placeholder replaced.
  static func expand(_ template: String, _ values: [String: String]) -> String {
    var text = template
    for (name, value) in values { text = text.replacingOccurrences(of: name, with: value) }
    return text
  }
}

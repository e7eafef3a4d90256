// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Flashes an RT1062 through its boot ROM over the console UART, byte-exact to NXP's protocols
/// (docs/flashing-protocols.md §4.11): boot-mode pins to the serial downloader and a power
/// cycle; SDP ERROR_STATUS, WRITE_FILE of the flashloader, JUMP_ADDRESS; MBoot ping, properties,
/// FillMemory + ConfigureMemory of the FlexSPI NOR, FlashEraseRegion, WriteMemory, ReadMemory to
/// verify, Reset; boot-mode pins back to internal boot, power off.
///
/// Whatever happens, the board is left powered off with internal boot selected.
public struct NativeFlasher: Flasher {
  public let console: any SerialLink
  public let power: any PowerSwitch
  public let bootMode: any BootModeControl
  public let settings: NativeFlasherSettings
  /// The flashloader's bytes (read from `settings.flashloader`, or the simulator's).
  public let flashloaderImage: [UInt8]
  /// How long power stays off before the board is switched on in the serial downloader.
  public let powerOffTime: Duration
  /// Called with each log line as it is written (`rig flash --verbose`).
  public let echo: (@Sendable (String) -> Void)?

  public init(
    console: any SerialLink, power: any PowerSwitch, bootMode: any BootModeControl,
    settings: NativeFlasherSettings, flashloaderImage: [UInt8], powerOffTime: Duration = .milliseconds(200),
    echo: (@Sendable (String) -> Void)? = nil
  ) {
    self.console = console
    self.power = power
    self.bootMode = bootMode
    self.settings = settings
    self.flashloaderImage = flashloaderImage
    self.powerOffTime = powerOffTime
    self.echo = echo
  }

  public var method: String { "native SDP + MBoot on \(console.name)" }

  public func flash(
    _ image: FirmwareImage, deadline: ContinuousClock.Instant, progress: (@Sendable (FlashProgress) -> Void)?
  ) async throws -> FlashReport {
    let log = FlashLog()
    log.echo = echo
    log.add("flashing \(image.file.displayPath): \(image.bytes.count) bytes at \(hex32(image.loadAddress)), "
      + "sha256 \(image.hash)")
    let started = ContinuousClock.now
    do {
      try await sequence(image, deadline: deadline, log: log, progress: progress ?? { _ in })
    } catch let error as FlashError {
      await makeSafe(log: log)
      var failed = error
      failed.log = log.lines
      throw failed
    } catch {
      await makeSafe(log: log)
      throw FlashError(stage: .bootMode, detail: "\(error)", log: log.lines)
    }
    await makeSafe(log: log)
    let seconds = (ContinuousClock.now - started).seconds
    log.add("done in \(MetricFormat.format3(seconds)) s")
    return FlashReport(
      bytes: image.bytes.count, seconds: seconds, skipped: false, method: method, imageHash: image.hash,
      image: image.file.displayPath, linkBytesPerSecond: settings.bytesPerSecond > 0 ? settings.bytesPerSecond : nil)
  }

  // MARK: - The sequence

  private func sequence(
    _ image: FirmwareImage, deadline: ContinuousClock.Instant, log: FlashLog,
    progress: @escaping (FlashProgress) -> Void
  ) async throws {
    // Each stage starts only while the overall deadline allows; each wait inside has its own.
    func due(_ stage: FlashError.Stage) throws {
      if ContinuousClock.now >= deadline {
        throw FlashError(stage: stage, detail: "the flash ran past its overall deadline", code: .timedOut)
      }
    }
    let io = SerialByteReader(link: console)
    let rate = settings.bytesPerSecond

    try due(.bootMode)
    try await stage(.bootMode, log: log) { try await startSerialDownloader(io, log: log) }

    let sdp = SDPHost(io: io, log: log, bytesPerSecond: rate)
    try due(.rom)
    try await sdpStage(log: log) { try await loadFlashloader(sdp, io: io, log: log, progress: progress) }

    let mboot = MBootHost(
      io: io, log: log, retries: settings.retries, ackTimeout: settings.commandTimeout, bytesPerSecond: rate)
    var packetSize = 32
    try due(.flashloader)
    try await mbootStage(.flashloader, log: log) { packetSize = try await greet(mboot, log: log) }

    try due(.configure)
    try await mbootStage(.configure, log: log) { try await configureNOR(mboot, for: image, log: log) }

    // Erase the sectors the image covers.
    let unit = UInt64(max(1, settings.eraseUnit))
    let eraseStart = UInt64(image.loadAddress) / unit * unit
    let eraseEnd = (image.endAddress + unit - 1) / unit * unit
    try due(.erase)
    try await mbootStage(.erase, log: log) {
      progress(FlashProgress(stage: "erase", done: 0, total: Int(eraseEnd - eraseStart), bytesPerSecond: 0))
      try await mboot.run(
        .flashEraseRegion(
          address: UInt32(eraseStart), count: UInt32(eraseEnd - eraseStart), memoryID: settings.memoryID),
        timeout: settings.eraseTimeout)
    }

    try due(.write)
    try await mbootStage(.write, log: log) {
      try await write(image, mboot, packetSize: packetSize, log: log, progress: progress)
    }

    if settings.verify {
      try due(.verify)
      try await mbootStage(.verify, log: log) { try await verify(image, mboot, log: log, progress: progress) }
    }

    // Reset; the flashloader answers, then the chip resets.
    try due(.reset)
    try await mbootStage(.reset, log: log) {
      try await mboot.run(.reset, timeout: settings.commandTimeout)
    }
  }

  /// Boot-mode pins to the serial downloader, power cycle.
  private func startSerialDownloader(_ io: SerialByteReader, log: FlashLog) async throws {
    try await power.set(.off)
    try await Task.sleep(for: powerOffTime)
    try await bootMode.select(.serialDownloader)
    io.discard()
    try await power.set(.on)
    log.add("boot mode serial_downloader, power on")
  }

  /// ROM: SDP probe, flashloader into RAM, jump.
  private func loadFlashloader(
    _ sdp: SDPHost, io: SerialByteReader, log: FlashLog, progress: (FlashProgress) -> Void
  ) async throws {
    var probe: (hab: UInt32, status: UInt32)?
    for attempt in 1...3 {
      do {
        probe = try await sdp.errorStatus(timeout: settings.romTimeout)
        break
      } catch let failure as SDPHost.Failure where failure.timedOut && attempt < 3 {
        log.add("SDP ERROR_STATUS: no answer yet (attempt \(attempt)), trying again")
        io.discard()
      }
    }
    if probe?.hab == SDPResponse.habClosed {
      log.add("HAB is closed: the flashloader must be signed for this part")
    }
    progress(FlashProgress(stage: "rom", done: 0, total: flashloaderImage.count, bytesPerSecond: 0))
    let start = ContinuousClock.now
    try await sdp.writeFile(flashloaderImage, to: settings.loadAddress, timeout: settings.commandTimeout)
    let seconds = (ContinuousClock.now - start).seconds
    progress(FlashProgress(
      stage: "rom", done: flashloaderImage.count, total: flashloaderImage.count,
      bytesPerSecond: seconds > 0 ? Double(flashloaderImage.count) / seconds : 0))
    try await sdp.jump(to: settings.jumpAddress, timeout: settings.romTimeout, failureWindow: .milliseconds(100))
  }

  /// Flashloader: ping, properties; returns the data frame size to use.
  private func greet(_ mboot: MBootHost, log: FlashLog) async throws -> Int {
    var packetSize = 32
    _ = try await mboot.ping(within: settings.pingTimeout)
    let version = try await mboot.property(.currentVersion, timeout: settings.commandTimeout)
    log.add("flashloader \(MBootProperty.versionText(version[0]))")
    do {
      packetSize = Int(try await mboot.property(.maxPacketSize, timeout: settings.commandTimeout)[0])
    } catch let failure as MBootHost.Failure where !failure.timedOut {
      // SPSDK's fallback when the property is missing.
      log.add("MaxPacketSize unknown; using 32-byte data frames")
    }
    return max(32, min(packetSize, MBootFrame.maxPayload))
  }

  /// FlexSPI NOR configuration, and the image checked against the NOR's size when it says.
  private func configureNOR(_ mboot: MBootHost, for image: FirmwareImage, log: FlashLog) async throws {
    for (index, word) in settings.optionWords.enumerated() {
      try await mboot.run(
        .fillMemory(address: settings.optionAddress + UInt32(4 * index), count: 4, pattern: word),
        timeout: settings.commandTimeout)
    }
    try await mboot.run(
      .configureMemory(memoryID: 9, address: settings.optionAddress), timeout: settings.commandTimeout)
    if let attributes = try? await mboot.property(
      .externalMemoryAttributes, memoryID: 9, timeout: settings.commandTimeout), attributes.count >= 3,
      attributes[0] & 0x2 != 0
    {
      let size = UInt64(attributes[2]) * 1024
      log.add("FlexSPI NOR: \(size / 1024) KiB")
      if image.endAddress > UInt64(RT1062MemoryMap.flexSPIBase) + size {
        throw FlashError(
          stage: .configure, command: "GetProperty(ExternalMemoryAttributes)",
          detail: "the image ends at \(hex32(UInt32(truncatingIfNeeded: image.endAddress))) but the board's "
            + "NOR holds only \(size / 1024) KiB", code: .configInvalid)
      }
    }
  }

  private func write(
    _ image: FirmwareImage, _ mboot: MBootHost, packetSize: Int, log: FlashLog,
    progress: @escaping (FlashProgress) -> Void
  ) async throws {
    let start = ContinuousClock.now
    try await mboot.write(
      image.bytes, to: image.loadAddress, memoryID: settings.memoryID, chunk: packetSize,
      timeout: settings.commandTimeout
    ) { done in
      progress(FlashProgress(stage: "write", done: done, total: image.bytes.count, bytesPerSecond: rateSince(start, done)))
    }
    let seconds = (ContinuousClock.now - start).seconds
    log.add("wrote \(image.bytes.count) bytes in \(MetricFormat.format3(seconds)) s "
      + "(\(Int(rateSince(start, image.bytes.count))) bytes/s, \(packetSize)-byte frames, \(mboot.resent) resent)")
  }

  /// Verify by reading back.
  private func verify(
    _ image: FirmwareImage, _ mboot: MBootHost, log: FlashLog, progress: @escaping (FlashProgress) -> Void
  ) async throws {
    let start = ContinuousClock.now
    let back = try await mboot.read(
      image.bytes.count, from: image.loadAddress, memoryID: settings.memoryID, timeout: settings.commandTimeout
    ) { done in
      progress(FlashProgress(stage: "verify", done: done, total: image.bytes.count, bytesPerSecond: rateSince(start, done)))
    }
    let common = min(back.count, image.bytes.count)
    let mismatch = (0..<common).first { back[$0] != image.bytes[$0] }
    if let first = mismatch ?? (back.count != image.bytes.count ? common : nil) {
      let differing = (0..<common).filter { back[$0] != image.bytes[$0] }.count
      let detail = first < common
        ? "\(differing) byte(s) read back differ from the image, first at "
          + "\(hex32(image.loadAddress &+ UInt32(first))): wrote 0x\(hex2(image.bytes[first])), "
          + "read 0x\(hex2(back[first]))"
        : "read back \(back.count) bytes of \(image.bytes.count)"
      throw FlashError(
        stage: .verify, command: "ReadMemory(\(hex32(image.loadAddress)), \(image.bytes.count) bytes)",
        status: MBootStatus.memoryVerifyFailed.description, detail: detail)
    }
    log.add("verified \(back.count) bytes")
  }

  private func rateSince(_ start: ContinuousClock.Instant, _ bytes: Int) -> Double {
    let seconds = (ContinuousClock.now - start).seconds
    return seconds > 0 ? Double(bytes) / seconds : 0
  }

  /// Boot-mode pins back to internal boot and power off, whatever went wrong before.
  private func makeSafe(log: FlashLog) async {
    do {
      try await bootMode.select(.internal)
      try await power.set(.off)
      log.add("boot mode internal, power off")
    } catch {
      log.add("could not restore internal boot and power off: \(error)")
    }
  }

  // MARK: - Stages

  private func stage(_ stage: FlashError.Stage, log: FlashLog, _ body: () async throws -> Void) async throws {
    do {
      try await body()
    } catch let error as FlashError {
      throw error
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      throw FlashError(stage: stage, detail: "\(error)")
    }
  }

  /// A ROM stage: SDP failures become flash errors naming the command and status.
  private func sdpStage(log: FlashLog, _ body: () async throws -> Void) async throws {
    try await stage(.rom, log: log) {
      do {
        try await body()
      } catch let failure as SDPHost.Failure {
        throw FlashError(
          stage: .rom, command: failure.command.description, status: failure.status, detail: failure.detail,
          code: failure.timedOut ? .timedOut : .hardwareFault)
      }
    }
  }

  /// A flashloader stage: MBoot failures become flash errors naming the command and status.
  private func mbootStage(_ stage: FlashError.Stage, log: FlashLog, _ body: () async throws -> Void) async throws {
    try await self.stage(stage, log: log) {
      do {
        try await body()
      } catch let failure as MBootHost.Failure {
        let command: String? = if case .other(let packet) = failure.command, packet.tag == 0 { "ping" } else {
          failure.command.description
        }
        throw FlashError(
          stage: stage, command: command, status: failure.status?.description, detail: failure.detail,
          code: failure.timedOut ? .timedOut : .hardwareFault)
      }
    }
  }
}

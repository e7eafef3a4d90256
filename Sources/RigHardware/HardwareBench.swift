// SPDX-License-Identifier: Apache-2.0
import Logging
import RigCore
import RigSystem

/// A real bench opened from a hardware rig file: the power, reset and boot-mode roles over GPIO
/// lines, FTDI pins or external commands, the result pin, the DUT's console, the flasher, and the
/// camera emulator driven over its link protocol.
///
/// Opening is all or nothing: when any part cannot be opened, the parts already opened are
/// released in reverse order before the error is thrown, so nothing is left half-configured.
/// Outputs are requested at their safe level (power off unless asked otherwise, reset inactive,
/// boot mode internal), so opening never glitches the DUT.
public final class HardwareBench: Sendable {
  /// A part of the bench that can be opened on its own (`rig power` needs only power).
  public enum Part: String, Sendable, Hashable, CaseIterable {
    case power, reset, bootMode, console, resultPin, camera
    /// The flasher's resources: its programs found, its flashloader read, its PROGRAM pin held.
    case flasher
  }

  public let rig: RigConfiguration
  public let power: (any PowerSwitch)?
  public let reset: (any ResetControl)?
  public let bootMode: BootModeSelector?
  public let console: (any SerialLink)?
  public let resultPin: (any EdgeInput)?
  /// The flasher's settings and resources, ready to be turned into a flasher by `bench()`.
  let flasher: PreparedFlasher?
  /// The camera emulator on the rig's `camera.emulator` port; the handshake happens on first use.
  public let camera: LinkCameraEmulator?
  /// What was opened, each with how to let it go, in opening order.
  private let opened: [OpenedPart]

  struct OpenedPart: Sendable {
    var part: Part
    var release: @Sendable () async -> Void
  }

  private init(rig: RigConfiguration, parts: Parts, opened: [OpenedPart]) {
    self.rig = rig
    power = parts.power
    reset = parts.reset
    bootMode = parts.bootMode
    console = parts.console
    resultPin = parts.resultPin
    flasher = parts.flasher
    camera = parts.camera
    self.opened = opened
  }

  /// Opens `parts` of the hardware `rig` describes; `powerInitial` is the level the power output
  /// is requested at (`rig power on` asks for on, so a supply already on never blinks).
  /// - Throws: `RigError(.hardwareUnavailable)` naming the part, its device and what to check;
  ///   `.configInvalid` when the rig file names something that cannot be (a bad FTDI selector).
  public static func open(
    _ rig: RigConfiguration, parts wanted: Set<Part> = Set(Part.allCases),
    powerInitial: PowerState = .off, logger: Logger
  ) async throws -> HardwareBench {
    try await open(
      rig, parts: wanted, powerInitial: powerInitial, devices: SystemDevices(), logger: logger)
  }

  static func open(
    _ rig: RigConfiguration, parts wanted: Set<Part>, powerInitial: PowerState,
    devices: any HardwareDevices, logger: Logger
  ) async throws -> HardwareBench {
    guard let hardware = rig.hardware else {
      throw RigError(
        .configInvalid,
        "\(rig.file.displayPath): rig '\(rig.name)' is the simulated bench, not real hardware")
    }
    var parts = Parts()
    var opened: [OpenedPart] = []
    var current: (Part, String)?
    do {
      if wanted.contains(.power) {
        current = (.power, "the power switch (\(describe(hardware.power.control)))")
        parts.power = try openPower(
          hardware.power, initial: powerInitial, devices: devices, opened: &opened, logger: logger)
      }
      if wanted.contains(.reset), let reset = hardware.reset {
        parts.reset = try openReset(reset, devices: devices, opened: &opened, current: &current)
      }
      if wanted.contains(.bootMode), let pins = hardware.bootMode {
        let internalLevels = pins.patterns[BootMode.internal.rawValue] ?? []
        var lines: [any DigitalOutput] = []
        for (index, line) in pins.lines.enumerated() {
          current = (.bootMode, "boot-mode line \(index + 1) of \(pins.lines.count) (\(line))")
          let initial = index < internalLevels.count ? internalLevels[index] : false
          let output = try devices.output(line, initial: initial, consumer: "rig-boot-mode")
          lines.append(output)
          opened.append(OpenedPart(part: .bootMode) { await output.release() })
        }
        current = (.bootMode, "the boot-mode pins")
        parts.bootMode = try BootModeSelector(lines: lines, patterns: pins.patterns)
      }
      if wanted.contains(.resultPin), let pin = hardware.resultPin {
        current = (.resultPin, "the result pin (GPIO \(pin.line))")
        let input = try devices.edgeInput(pin, consumer: "rig-result")
        parts.resultPin = input
        opened.append(OpenedPart(part: .resultPin) { await input.release() })
      }
      if wanted.contains(.console) {
        current = (.console, "the console (\(hardware.console.address))")
        let link = try devices.serial(hardware.console, role: "console", logger: logger)
        parts.console = link
        opened.append(OpenedPart(part: .console) { await link.close() })
      }
      if wanted.contains(.flasher), let flasher = hardware.flasher {
        current = (.flasher, "the \(flasher.kind) flasher")
        parts.flasher = try prepare(flasher, devices: devices, opened: &opened, current: &current)
      }
      if wanted.contains(.camera), let settings = hardware.camera {
        current = (.camera, "the camera emulator (\(settings.emulator.address))")
        let link = try devices.serial(settings.emulator, role: "camera emulator", logger: logger)
        let camera = LinkCameraEmulator(link: link)
        parts.camera = camera
        opened.append(
          OpenedPart(part: .camera) {
            await stopServing(camera, within: rig.timing.commandTimeout, logger: logger)
            await link.close()
          })
      }
    } catch {
      for part in opened.reversed() { await part.release() }
      throw failure(error, rig: rig, part: current?.1 ?? "the bench")
    }
    return HardwareBench(rig: rig, parts: parts, opened: opened)
  }

  /// The bench the runner drives. Needs the power and console parts.
  public func bench() throws -> Bench {
    guard let power, let console else {
      throw RigError(.internal, "rig '\(rig.name)': a bench needs its power and console opened")
    }
    let chosen: any CameraEmulator
    if let camera {
      chosen = camera
    } else if rig.hardware?.camera != nil {
      throw RigError(.internal, "rig '\(rig.name)': a bench needs its camera emulator opened")
    } else {
      chosen = UnconfiguredCameraEmulator(rig: rig)
    }
    var bench = Bench(
      rig: rig, power: power, console: console, camera: chosen,
      flasher: flasher(power: power, console: console), close: { [self] in await close() })
    bench.bootMode = bootMode
    bench.resultPin = resultPin
    return bench
  }

  /// The flasher the rig file describes, over the parts opened; nil when the rig has none, or
  /// when a part it needs (the boot-mode pins for the ROM path) was not opened.
  private func flasher(power: any PowerSwitch, console: any SerialLink) -> (any Flasher)? {
    switch flasher {
    case nil:
      return nil
    case .native(let settings, let flashloader):
      guard let bootMode else { return nil }
      return NativeFlasher(
        console: console, power: power, bootMode: bootMode, settings: settings,
        flashloaderImage: flashloader, powerOffTime: rig.timing.powerOffTime)
    case .external(let settings, let programPin):
      return ExternalFlasher(
        settings: settings, power: power, bootMode: bootMode, programPin: programPin,
        runner: ChildProcessRunner())
    }
  }

  /// A flasher's settings with what it holds: the flashloader's bytes, the PROGRAM pin.
  enum PreparedFlasher: Sendable {
    case native(NativeFlasherSettings, flashloader: [UInt8])
    case external(ExternalFlasherSettings, programPin: (any DigitalOutput)?)
  }

  /// The power switch: a GPIO line held from now on, or on/off commands checked to exist (nothing
  /// to hold open; a missing program is found before the run).
  private static func openPower(
    _ power: HardwareSettings.Power, initial: PowerState, devices: any HardwareDevices,
    opened: inout [OpenedPart], logger: Logger
  ) throws -> any PowerSwitch {
    switch power.control {
    case .line(let line):
      let output = try devices.output(line, initial: initial == .on, consumer: "rig-power")
      let role = LinePowerSwitch(line: output, onDelay: power.onDelay, offDelay: power.offDelay)
      opened.append(OpenedPart(part: .power) { await role.release() })
      return role
    case .command(let on, let off):
      for command in [on, off] {
        _ = try ProgramSearch.locate(command.argv[0], purpose: "power")
      }
      return CommandPowerSwitch(
        on: on, off: off, onDelay: power.onDelay, offDelay: power.offDelay, logger: logger)
    }
  }

  /// The reset: a GPIO line held from now on, or a command checked to exist.
  private static func openReset(
    _ reset: HardwareSettings.Reset, devices: any HardwareDevices, opened: inout [OpenedPart],
    current: inout (Part, String)?
  ) throws -> any ResetControl {
    switch reset.control {
    case .line(let line):
      current = (.reset, "the reset line (\(line))")
      let output = try devices.output(line, initial: false, consumer: "rig-reset")
      let role = ResetLine(line: output, pulseWidth: reset.pulse)
      opened.append(OpenedPart(part: .reset) { await role.release() })
      return role
    case .command(let command):
      current = (.reset, "the reset command (`\(command)`)")
      _ = try ProgramSearch.locate(command.argv[0], purpose: "reset")
      return CommandReset(command: command)
    }
  }

  /// Checks and takes what `flasher` needs before a run starts: the flashloader (read and
  /// checked now, so a missing file is reported before the board is touched), the programs
  /// (found on PATH now, as for command power), and the PROGRAM pin, requested inactive and set
  /// inactive again before it is released, so no exit path leaves the board held in its
  /// bootloader (a Teensy held there for 13 s wipes its flash).
  private static func prepare(
    _ flasher: HardwareSettings.Flasher, devices: any HardwareDevices,
    opened: inout [OpenedPart], current: inout (Part, String)?
  ) throws -> PreparedFlasher {
    switch flasher.method {
    case .native(let settings):
      guard let file = settings.flashloader else {
        throw RigError(
          .configInvalid, "the native flasher has no flashloader: \(FlashloaderFile.whereToGetIt)")
      }
      let bytes = try FlashloaderFile.read(
        file, loadAddress: settings.loadAddress, jumpAddress: settings.jumpAddress,
        files: LocalFileAccess())
      return .native(settings, flashloader: bytes)
    case .external(let settings):
      for program in flasher.programs {
        current = (.flasher, "the \(flasher.kind) flasher (\(program))")
        _ = try FlasherPrograms.locate(program)
      }
      if let file = settings.flashloader {
        current = (.flasher, "the \(flasher.kind) flasher's flashloader")
        _ = try FlashloaderFile.read(
          file, loadAddress: RT1062MemoryMap.flashloaderLoadAddress,
          jumpAddress: RT1062MemoryMap.flashloaderIVTAddress, files: LocalFileAccess())
      }
      var pin: (any DigitalOutput)?
      if let line = flasher.programPin {
        current = (.flasher, "the flasher's PROGRAM pin (\(line))")
        let output = try devices.output(line, initial: false, consumer: "rig-program")
        pin = output
        opened.append(
          OpenedPart(part: .flasher) {
            try? await output.set(false)
            await output.release()
          })
      }
      return .external(settings, programPin: pin)
    }
  }

  /// Releases every part, in reverse opening order. Lines keep their last level.
  public func close() async {
    for part in opened.reversed() { await part.release() }
  }

  /// Which parts this bench holds open, in opening order (for tests and `rig doctor`).
  var openedParts: [Part] { opened.map(\.part) }

  private struct Parts {
    var power: (any PowerSwitch)?
    var reset: (any ResetControl)?
    var bootMode: BootModeSelector?
    var console: (any SerialLink)?
    var resultPin: (any EdgeInput)?
    var flasher: PreparedFlasher?
    var camera: LinkCameraEmulator?
  }

  /// Empties the emulator's queue, so nothing keeps serving frames to the DUT after rig lets go.
  /// Only an emulator this bench talked to is reset: one never used holds nothing of this run,
  /// and a handshake just to close would delay `rig power` and friends.
  /// Waits up to `limit` (the rig's command timeout) for the emulator to confirm.
  private static func stopServing(
    _ camera: LinkCameraEmulator, within limit: Duration, logger: Logger
  ) async {
    guard await camera.identity != nil else { return }
    do {
      try await camera.reset(deadline: .now + limit)
    } catch {
      let reason = (error as? RigError)?.message ?? "\(error)"
      logger.warning(
        "camera emulator on \(camera.name): not reset on close, frames may still be queued: \(reason)")
    }
  }

  private static func describe(_ control: HardwareSettings.Power.Switch) -> String {
    switch control {
    case .line(let line): "\(line)"
    case .command(let on, _): "`\(on)`"
    }
  }

  /// The error for a part that could not be opened: which rig, which part and device, and the
  /// backend's own message, which says what to check.
  private static func failure(_ error: any Error, rig: RigConfiguration, part: String) -> any Error
  {
    if error is CancellationError { return error }
    let rigError = error as? RigError
    let code: RigError.Code =
      rigError?.code == .configInvalid ? .configInvalid : .hardwareUnavailable
    let detail = rigError?.message ?? "\(error)"
    return RigError(
      code, "rig '\(rig.name)' (\(rig.file.displayPath)): cannot open \(part): \(detail)",
      cause: rigError?.cause)
  }
}

/// Where a `HardwareBench` gets its devices: the real backends, or fakes in tests.
protocol HardwareDevices: Sendable {
  func output(_ line: HardwareSettings.OutputLine, initial: Bool, consumer: String) throws
    -> any DigitalOutput
  func edgeInput(_ pin: HardwareSettings.ResultPin, consumer: String) throws -> any EdgeInput
  func serial(_ settings: HardwareSettings.SerialPort, role: String, logger: Logger) throws
    -> any SerialLink
}

/// The real backends: libgpiod lines, libftdi1 pins, the serial link factory.
struct SystemDevices: HardwareDevices {
  func output(_ line: HardwareSettings.OutputLine, initial: Bool, consumer: String) throws
    -> any DigitalOutput
  {
    switch line {
    case .gpio(let gpio):
      return try GPIOOutputLine(spec: Self.spec(gpio), initial: initial, consumer: consumer)
    case .ftdi(let pin):
      guard let mode = FTDIPinMode(rawValue: pin.mode.rawValue) else {
        throw RigError(.internal, "FTDI pin mode \(pin.mode.rawValue) has no backend")
      }
      return try FTDIOutputPin(
        selector: FTDISelector(parsing: pin.device), mode: mode, pin: pin.pin,
        activeLow: pin.activeLow,
        initial: initial)
    }
  }

  func edgeInput(_ pin: HardwareSettings.ResultPin, consumer: String) throws -> any EdgeInput {
    let edges: GPIOEdgeInput.Edges =
      switch pin.edge {
      case .rising: .rising
      case .falling: .falling
      case .both: .both
      }
    return try GPIOEdgeInput(spec: Self.spec(pin.line), edges: edges, consumer: consumer)
  }

  func serial(_ settings: HardwareSettings.SerialPort, role: String, logger: Logger) throws
    -> any SerialLink
  {
    try SerialLinkFactory.open(settings, role: role, logger: logger)
  }

  /// The GPIO backend's spec for a line of a rig file.
  static func spec(_ line: HardwareSettings.GPIOLine) -> GPIOLineSpec {
    GPIOLineSpec(
      chip: line.chip, line: GPIOLineSpec.Line(line.line), activeLow: line.activeLow,
      drive: GPIOLineSpec.Drive(rawValue: line.drive.rawValue) ?? .pushPull)
  }
}

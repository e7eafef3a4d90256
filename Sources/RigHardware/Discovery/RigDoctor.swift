// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// Checks that everything a hardware rig file names is there and usable, without driving it:
/// device nodes and their permissions, group membership, rig's udev rules, GPIO lines (and who
/// holds them), FTDI chips, the programs of command power and of the flasher, the flashloader,
/// and whether the camera emulator answers its link handshake. What `rig doctor` prints.
///
/// Nothing of the DUT's is opened or requested, so the check never disturbs a bench (a console
/// open can reset some boards; a line request would glitch it). Only the camera emulator's port
/// is opened, for the handshake, which leaves its queue and registers as they were.
public struct RigDoctor: Sendable {
  let environment: any DoctorEnvironment

  /// A doctor for this machine.
  public init() {
    environment = SystemDoctorEnvironment()
  }

  init(environment: any DoctorEnvironment) {
    self.environment = environment
  }

  /// Every check for `rig`, in the order a person wiring the bench would go.
  public func check(_ rig: RigConfiguration) -> [DoctorCheck] {
    var checks = [
      DoctorCheck(.ok, "rig file \(rig.file.displayPath)", "rig '\(rig.name)' (\(rig.board))")
    ]
    guard let hardware = rig.hardware else {
      checks.append(DoctorCheck(.ok, "bench", "the simulated bench: nothing to check"))
      return checks
    }
    let lines = Self.lines(hardware)
    let usesGPIO = lines.contains { if case .gpio = $0.line { true } else { false } }
    let usesFTDI = lines.contains { if case .ftdi = $0.line { true } else { false } }
    checks += groups(["dialout"] + (usesGPIO ? ["gpio"] : []) + (usesFTDI ? ["plugdev"] : []))
    checks.append(udevRules())
    switch hardware.power.control {
    case .line: break
    case .command(let on, let off):
      checks.append(program(on, subject: "power on command"))
      checks.append(program(off, subject: "power off command"))
    }
    if let reset = hardware.reset, case .command(let command) = reset.control {
      checks.append(program(command, subject: "reset command"))
    }
    if let flasher = hardware.flasher { checks += self.flasher(flasher) }
    var ftdi: Result<[FTDIDeviceInfo], any Error>?
    for (role, line) in lines {
      switch line {
      case .gpio(let gpio): checks.append(gpioLine(gpio, role: role))
      case .ftdi(let pin):
        if ftdi == nil { ftdi = Result { try environment.ftdiDevices() } }
        checks.append(ftdiPin(pin, role: role, devices: ftdi!))
      }
    }
    checks += serialPort(hardware.console, role: "console")
    if let camera = hardware.camera {
      checks += serialPort(camera.emulator, role: Self.cameraRole)
    }
    return checks
  }

  /// `check(_:)`, then, when the camera emulator's port is there and accessible, whether the
  /// emulator answers the link handshake (HELLO) within `limit`.
  public func check(_ rig: RigConfiguration, handshakeWithin limit: Duration) async
    -> [DoctorCheck]
  {
    var checks = check(rig)
    // The port's own check comes last; only a port that is there and usable is worth opening.
    if let camera = rig.hardware?.camera, let last = checks.last,
      last.subject == Self.cameraSubject(camera.emulator), last.status == .ok
    {
      checks.append(await handshake(camera.emulator, within: limit))
    }
    return checks
  }

  /// 0 when everything is usable, 78 when the rig file names something impossible, 69 when
  /// something is missing or inaccessible.
  public static func exitStatus(_ checks: [DoctorCheck]) -> ExitStatus {
    if checks.contains(where: { $0.status == .badConfig }) { return .badConfiguration }
    if checks.contains(where: { $0.status == .problem }) { return .hardwareUnavailable }
    return .allPassed
  }

  /// Every output and input line of the rig, with the role it plays.
  static func lines(_ h: HardwareSettings) -> [(role: String, line: HardwareSettings.OutputLine)] {
    var lines: [(String, HardwareSettings.OutputLine)] = []
    if case .line(let line) = h.power.control { lines.append(("power", line)) }
    if let reset = h.reset, case .line(let line) = reset.control { lines.append(("reset", line)) }
    for (index, line) in (h.bootMode?.lines ?? []).enumerated() {
      lines.append(("boot-mode line \(index + 1)", line))
    }
    if let pin = h.resultPin { lines.append(("result pin", .gpio(pin.line))) }
    if let pin = h.flasher?.programPin { lines.append(("flasher PROGRAM pin", pin)) }
    return lines
  }

  static let cameraRole = "camera emulator"

  static func cameraSubject(_ port: HardwareSettings.SerialPort) -> String {
    "\(cameraRole) \(port.address)"
  }

  // MARK: Checks

  /// Opens the emulator's port and says HELLO, as a run does first; nothing else is sent.
  private func handshake(_ port: HardwareSettings.SerialPort, within limit: Duration) async
    -> DoctorCheck
  {
    let subject = "camera emulator link \(port.address)"
    let link: any SerialLink
    do {
      link = try environment.openSerial(port)
    } catch {
      let message = (error as? RigError)?.message ?? "\(error)"
      return DoctorCheck(.problem, subject, "cannot open it: \(message)", fix: Self.openFix(message))
    }
    let camera = LinkCameraEmulator(link: link)
    let outcome: DoctorCheck
    do {
      let hello = try await camera.connect(deadline: .now + limit)
      let formats = PixelFormat.allCases.filter { hello.supports($0) }.map(\.rawValue)
      outcome = DoctorCheck(
        .ok, subject,
        "\"\(hello.name)\" answered HELLO: link protocol v\(hello.version), "
          + "\(hello.variantName), \(hello.ram / 1024) KiB frame RAM, "
          + "formats \(formats.joined(separator: ", "))")
    } catch let error as RigError where error.code == .hardwareUnavailable {
      outcome = DoctorCheck(
        .problem, subject,
        "no answer to the link handshake (HELLO) within \(DurationParser.format(limit))",
        fix: "check that this is the emulator's port and not the DUT's console (`rig devices` "
          + "lists product names), that the emulator runs rig's emulator firmware (link protocol "
          + "v\(EmulatorLink.version)), and unplug and replug it to restart it")
    } catch {
      outcome = DoctorCheck(
        .problem, subject, (error as? RigError)?.message ?? "\(error)",
        fix: "update the emulator's firmware to rig's link protocol v\(EmulatorLink.version)")
    }
    await link.close()
    return outcome
  }

  /// What to do about a serial port that would not open, from why it would not.
  static func openFix(_ message: String) -> String {
    let lowered = message.lowercased()
    if lowered.contains("busy") || lowered.contains("in use") || lowered.contains("locked") {
      return "close whatever else has the port open (a serial terminal, another rig run)"
    }
    if lowered.contains("permission") {
      return "add the user to the port's group (dialout), or install Rigs/99-rig.rules"
    }
    return "check that the rig file names the emulator's serial port (`rig devices` lists them)"
  }

  private func groups(_ needed: [String]) -> [DoctorCheck] {
    if environment.isRoot {
      return [DoctorCheck(.ok, "groups", "running as root: no group membership needed")]
    }
    let user = environment.userName
    return needed.map { group in
      let subject = "group \(group)"
      let purpose = Self.groupPurpose[group] ?? ""
      if !environment.groupExists(group) {
        return DoctorCheck(
          .warning, subject, "no such group on this machine (\(purpose))",
          fix:
            "Raspberry Pi OS has it; elsewhere `sudo groupadd \(group)` and install "
            + "Rigs/99-rig.rules"
        )
      }
      if environment.inSession(group) {
        return DoctorCheck(.ok, subject, "\(user) is a member (\(purpose))")
      }
      if environment.isConfiguredMember(group) {
        return DoctorCheck(
          .warning, subject, "\(user) was added, but this login started before that (\(purpose))",
          fix: "log out and in again, or run `newgrp \(group)`")
      }
      return DoctorCheck(
        .warning, subject, "\(user) is not a member (\(purpose))",
        fix: "sudo usermod -aG \(group) \(user), then log out and in again")
    }
  }

  static let groupPurpose = [
    "dialout": "serial ports", "gpio": "/dev/gpiochip*", "plugdev": "FTDI chips over USB",
  ]

  private func udevRules() -> DoctorCheck {
    let installed = environment.installedUdevRules()
    if let first = installed.first { return DoctorCheck(.ok, "udev rules", "installed: \(first)") }
    return DoctorCheck(
      .warning, "udev rules",
      "Rigs/99-rig.rules is not installed, so device permissions rely on defaults",
      fix:
        "sudo cp Rigs/99-rig.rules /etc/udev/rules.d/ && sudo udevadm control --reload "
        + "&& sudo udevadm trigger"
    )
  }

  private func program(_ command: HardwareSettings.Command, subject: String) -> DoctorCheck {
    let name = command.argv[0]
    guard let path = environment.program(name) else {
      return DoctorCheck(
        .problem, subject,
        "`\(command)`: '\(name)' is not " + (name.contains("/") ? "an executable file" : "on PATH"),
        fix: name.contains("/")
          ? "check the path in the rig file"
          : name == "uhubctl"
            ? "sudo apt install uhubctl" : "install it, or write its full path in the rig file")
    }
    return DoctorCheck(.ok, subject, "`\(command)` (\(path))")
  }

  /// The flasher's programs on PATH and its flashloader readable and well formed.
  private func flasher(_ flasher: HardwareSettings.Flasher) -> [DoctorCheck] {
    var checks: [DoctorCheck] = []
    for name in flasher.programs {
      let subject = "\(flasher.kind) flasher program \(name)"
      if let path = environment.program(name) {
        checks.append(DoctorCheck(.ok, subject, path))
      } else {
        checks.append(
          DoctorCheck(
            .problem, subject,
            "'\(name)' is not " + (name.contains("/") ? "an executable file" : "on PATH"),
            fix: FlasherPrograms.installHint(name)))
      }
    }
    let loader: (file: URL, load: UInt32, jump: UInt32)?
    switch flasher.method {
    case .native(let settings):
      loader = settings.flashloader.map { ($0, settings.loadAddress, settings.jumpAddress) }
    case .external(let settings):
      loader = settings.flashloader.map {
        ($0, RT1062MemoryMap.flashloaderLoadAddress, RT1062MemoryMap.flashloaderIVTAddress)
      }
    }
    if let loader {
      let subject = "flashloader \(loader.file.displayPath)"
      switch FlashloaderFile.load(
        loader.file, loadAddress: loader.load, jumpAddress: loader.jump,
        files: environment.files)
      {
      case .success(let bytes):
        checks.append(
          DoctorCheck(
            .ok, subject,
            "\(bytes.count) bytes, image vector table at \(hex32(loader.jump))"))
      case .failure(let failure):
        checks.append(DoctorCheck(.problem, subject, failure.message, fix: failure.hint))
      }
    }
    return checks
  }

  private func gpioLine(_ line: HardwareSettings.GPIOLine, role: String) -> DoctorCheck {
    let subject = "\(role) GPIO \(line.line)"
    let location: GPIOLineLocation
    do {
      location = try environment.locate(line)
    } catch {
      let rig = error as? RigError
      return DoctorCheck(
        rig?.code == .configInvalid ? .badConfig : .problem, subject, rig?.message ?? "\(error)")
    }
    if let busy = location.busyProblem {
      let byRig = location.line.consumer?.hasPrefix("rig") == true
      return DoctorCheck(
        .problem, subject, busy,
        fix: byRig
          ? "a `rig run`, `rig power` or `rig console` in another process holds it; let it finish"
          : "stop the program or driver holding it (`gpioinfo` lists holders), or wire another line"
      )
    }
    return DoctorCheck(.ok, subject, "\(location.displayName) [\(location.chipLabel)], free")
  }

  private func ftdiPin(
    _ pin: HardwareSettings.FTDIPin, role: String, devices: Result<[FTDIDeviceInfo], any Error>
  ) -> DoctorCheck {
    let subject = "\(role) FTDI \(pin.device) pin \(pin.pin)"
    let selector: FTDISelector
    do {
      selector = try FTDISelector(parsing: pin.device)
    } catch {
      return DoctorCheck(.badConfig, subject, (error as? RigError)?.message ?? "\(error)")
    }
    let listed: [FTDIDeviceInfo]
    switch devices {
    case .success(let list): listed = list
    case .failure(let error):
      return DoctorCheck(
        .problem, subject,
        "cannot list FTDI devices: \((error as? RigError)?.message ?? "\(error)")")
    }
    let matching = listed.filter(selector.matches)
    guard let device = matching.first else {
      let present =
        listed.isEmpty
        ? "no FTDI devices are attached"
        : "FTDI devices here: " + listed.map { "\"\($0.selector)\"" }.joined(separator: ", ")
      return DoctorCheck(
        .problem, subject, "no FTDI device matches \(selector); \(present)",
        fix: "plug it in and check its serial number with `rig devices`")
    }
    if let problem = device.problem { return DoctorCheck(.problem, subject, problem) }
    let name = device.description.map { "\"\($0)\" " } ?? ""
    return DoctorCheck(.ok, subject, "\(name)on bus \(device.bus) address \(device.address)")
  }

  private func serialPort(_ settings: HardwareSettings.SerialPort, role: String) -> [DoctorCheck] {
    let subject = "\(role) \(settings.address)"
    let path: String
    switch settings.address {
    case .path(let p):
      path = p
    case .usb(let match):
      do {
        let ports = try environment.serialPorts()
        path = try SerialPorts.select(match, among: ports).path
      } catch {
        let rig = error as? RigError
        return [
          DoctorCheck(
            rig?.code == .configInvalid ? .badConfig : .problem, subject, rig?.message ?? "\(error)"
          )
        ]
      }
    }
    switch environment.node(path) {
    case .missing:
      return [
        DoctorCheck(
          .problem, subject, "not found",
          fix: "plug in the board's USB cable and power it; `rig devices` lists the ports"
            + (path.hasPrefix("/dev/serial/by-id/")
              ? "; a by-id name holds the adapter's serial number" : ""))
      ]
    case .notDevice(let resolved):
      return [
        DoctorCheck(
          .problem, subject, "\(resolved) is not a device node",
          fix: "check the path in the rig file")
      ]
    case .notTerminal(let resolved):
      return [
        DoctorCheck(
          .problem, subject, "\(resolved) is a device but not a serial port (no tty driver owns it)",
          fix: "name the \(role)'s serial port in the rig file; `rig devices` lists them")
      ]
    case .device(let resolved, let readWrite, let group):
      let target = resolved == path ? path : "\(path) → \(resolved)"
      guard readWrite else {
        let owner = group.map { " (its group is \($0))" } ?? ""
        return [
          DoctorCheck(
            .problem, subject, "\(target): no permission to read and write it\(owner)",
            fix:
              "sudo usermod -aG \(group ?? "dialout") \(environment.userName), then log in again; "
              + "or install Rigs/99-rig.rules")
        ]
      }
      return [DoctorCheck(.ok, subject, "\(target), readable and writable, \(settings.baud) baud")]
    }
  }
}

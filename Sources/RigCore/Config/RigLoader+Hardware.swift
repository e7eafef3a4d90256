// SPDX-License-Identifier: Apache-2.0
import Foundation
import Yams

// The hardware sections of a rig file (docs/configuration.md §4.4, docs/bench-setup.md).
extension RigLoader {
  static let hardwareKeys = [
    "power", "reset", "boot_mode", "console", "result_pin", "camera", "flasher",
  ]
  static let powerKeys = ["gpio", "ftdi", "command", "on_delay", "off_delay"]
  static let resetKeys = ["gpio", "ftdi", "command", "pulse"]
  /// Every boot mode's name as a rig file writes it; each needs a pattern.
  static let bootModeNames = [BootMode.internal.rawValue, BootMode.serialDownloader.rawValue]
  static let bootModeKeys = ["gpio", "ftdi"] + bootModeNames
  static let gpioLineKeys = ["chip", "line", "active_low", "drive"]
  static let gpioLinesKeys = ["chip", "lines", "active_low", "drive"]
  static let ftdiPinKeys = ["device", "pin", "mode", "active_low"]
  static let ftdiPinsKeys = ["device", "pins", "mode", "active_low"]
  static let powerCommandKeys = ["on", "off", "timeout"]
  static let resetCommandKeys = ["run", "timeout"]
  static let serialPortKeys = ["port", "usb", "baud", "flow", "reconnect"]
  static let usbKeys = ["vid", "pid", "serial", "product"]
  static let resultPinKeys = ["gpio", "edge"]
  static let cameraKeys = ["emulator"]

  static func readHardware(_ root: ConfigTable, _ r: ConfigReader, base: URL)
    -> HardwareSettings?
  {
    let needs =
      "a hardware rig needs console: (the DUT's serial port) and power: (what switches "
      + "its supply)"
    for key in ["console", "power"] where root[key] == nil {
      r.report(root.node, key, "missing required key '\(key)'", hint: needs)
    }
    let power = readPower(root, r)
    let reset = readReset(root, r)
    let bootMode = readBootMode(root, r)
    let console = root["console"].flatMap {
      readSerialPort($0, at: root.path("console"), r, example: "/dev/serial/by-id/usb-NXP_…")
    }
    let resultPin = readResultPin(root, r)
    var camera: HardwareSettings.Camera?
    if let t = r.table(root, "camera", keys: cameraKeys, required: ["emulator"]),
      let node = t["emulator"],
      let port = readSerialPort(
        node, at: t.path("emulator"), r, example: "/dev/serial/by-id/usb-rig_camera_emulator_…")
    {
      camera = HardwareSettings.Camera(emulator: port)
    }
    let flasher = readFlasher(
      root, r, base: base, hasBootMode: root["boot_mode"] != nil, consoleBaud: console?.baud)
    guard let power, let console else { return nil }
    return HardwareSettings(
      power: power, reset: reset, bootMode: bootMode, console: console, resultPin: resultPin,
      camera: camera, flasher: flasher)
  }

  // MARK: Roles

  private static func readPower(_ root: ConfigTable, _ r: ConfigReader) -> HardwareSettings.Power? {
    guard
      let t = r.table(
        root, "power", keys: powerKeys,
        what: "a power switch such as { gpio: { line: GPIO17 }, on_delay: 50ms }")
    else { return nil }
    let onDelay = r.duration(t, "on_delay", maximum: .seconds(600)) ?? .zero
    let offDelay = r.duration(t, "off_delay", maximum: .seconds(600)) ?? .zero
    let kinds = oneOf(
      ["gpio", "ftdi", "command"], in: t, r,
      what: "what switches the supply: gpio: (a relay on a Pi GPIO line), ftdi: (an FTDI pin) "
        + "or command: (a program such as uhubctl)")
    let controls = kinds.map { kind -> HardwareSettings.Power.Switch? in
      if kind == "command" {
        return readPowerCommand(t, r).map { .command(on: $0.on, off: $0.off) }
      }
      return readOutputLine(kind, in: t, r).map { .line($0) }
    }
    guard controls.count == 1, let control = controls[0] else { return nil }
    return HardwareSettings.Power(control: control, onDelay: onDelay, offDelay: offDelay)
  }

  private static func readPowerCommand(_ power: ConfigTable, _ r: ConfigReader)
    -> (on: HardwareSettings.Command, off: HardwareSettings.Command)?
  {
    guard
      let t = r.table(
        power, "command", keys: powerCommandKeys, required: ["on", "off"],
        what: "commands such as { on: [uhubctl, -a, on], off: [uhubctl, -a, off], timeout: 5s }")
    else { return nil }
    let timeout = commandTimeout(t, r)
    let on = t["on"].flatMap { argv($0, at: t.path("on"), r) }
    let off = t["off"].flatMap { argv($0, at: t.path("off"), r) }
    guard let on, let off else { return nil }
    return (
      HardwareSettings.Command(argv: on, timeout: timeout),
      HardwareSettings.Command(argv: off, timeout: timeout)
    )
  }

  private static func readReset(_ root: ConfigTable, _ r: ConfigReader) -> HardwareSettings.Reset? {
    guard
      let t = r.table(
        root, "reset", keys: resetKeys,
        what: "a reset line such as { gpio: { line: GPIO27, active_low: true }, pulse: 100ms }")
    else { return nil }
    let pulse = r.duration(t, "pulse", minimum: .microseconds(1), maximum: .seconds(60))
    let kinds = oneOf(
      ["gpio", "ftdi", "command"], in: t, r,
      what: "what resets the DUT: gpio: (a Pi GPIO line), ftdi: (an FTDI pin) or command:")
    let controls = kinds.map { kind -> HardwareSettings.Reset.Control? in
      guard kind == "command" else { return readOutputLine(kind, in: t, r).map { .line($0) } }
      if let pulseNode = t["pulse"] {
        r.report(
          pulseNode, t.path("pulse"), "pulse applies to a reset line",
          hint: "a reset command does its own timing; remove pulse")
      }
      guard
        let c = r.table(
          t, "command", keys: resetCommandKeys, required: ["run"],
          what: "a command such as { run: [my-reset-tool, --board, 1], timeout: 5s }"),
        let run = c["run"].flatMap({ argv($0, at: c.path("run"), r) })
      else { return nil }
      return .command(HardwareSettings.Command(argv: run, timeout: commandTimeout(c, r)))
    }
    guard controls.count == 1, let control = controls[0] else { return nil }
    return HardwareSettings.Reset(control: control, pulse: pulse ?? .milliseconds(100))
  }

  private static func readBootMode(_ root: ConfigTable, _ r: ConfigReader)
    -> HardwareSettings.BootModePins?
  {
    guard
      let t = r.table(
        root, "boot_mode", keys: bootModeKeys, required: bootModeNames,
        what:
          "boot-mode pins such as { gpio: { lines: [GPIO5, GPIO6] }, serial_downloader: [0, 1], "
          + "internal: [1, 0] }")
    else { return nil }
    let kinds = oneOf(
      ["gpio", "ftdi"], in: t, r,
      what: "the boot-mode pins: gpio: { lines: […] } or ftdi: { pins: […] }")
    let read = kinds.map { $0 == "gpio" ? readGPIOLines(t, r) : readFTDIPins(t, r) }
    let lines = read.count == 1 ? read[0] : nil
    var patterns: [String: [Bool]] = [:]
    for mode in bootModeNames {
      guard let node = t[mode],
        let items = r.list(node, at: t.path(mode), of: "levels such as [0, 1]")
      else { continue }
      let levels = items.enumerated().map { index, item in
        level(item, at: "\(t.path(mode))[\(index)]", r)
      }
      guard levels.allSatisfy({ $0 != nil }) else { continue }
      if let lines, levels.count != lines.count {
        r.report(
          node, t.path(mode),
          "\(levels.count) level\(levels.count == 1 ? "" : "s") for \(lines.count) boot-mode "
            + "line\(lines.count == 1 ? "" : "s")",
          hint: "give one level (0 or 1) per line, in the order the lines are listed")
        continue
      }
      patterns[mode] = levels.compactMap { $0 }
    }
    if let a = patterns[BootMode.internal.rawValue],
      a == patterns[BootMode.serialDownloader.rawValue]
    {
      r.report(
        t[BootMode.serialDownloader.rawValue], t.path(BootMode.serialDownloader.rawValue),
        "serial_downloader and internal set the same levels",
        hint:
          "on the RT1062, BOOT_MODE[1:0] is 01 for the serial downloader and 10 for internal boot")
    }
    guard let lines, patterns.count == bootModeNames.count else { return nil }
    return HardwareSettings.BootModePins(lines: lines, patterns: patterns)
  }

  private static func readResultPin(_ root: ConfigTable, _ r: ConfigReader)
    -> HardwareSettings.ResultPin?
  {
    guard
      let t = r.table(
        root, "result_pin", keys: resultPinKeys, required: ["gpio"],
        what: "a result pin such as { gpio: { line: GPIO22 }, edge: rising }")
    else { return nil }
    let edge: HardwareSettings.Edge = r.choice(t, "edge", what: "an edge") ?? .rising
    guard let line = t["gpio"].flatMap({ readGPIOLine($0, at: t.path("gpio"), r) }) else {
      return nil
    }
    return HardwareSettings.ResultPin(line: line, edge: edge)
  }

  // MARK: Commands

  private static func commandTimeout(_ t: ConfigTable, _ r: ConfigReader) -> Duration {
    r.duration(t, "timeout", minimum: .milliseconds(1), maximum: .seconds(3600)) ?? .seconds(10)
  }

  /// A program and its arguments as a list, never a shell line.
  static func argv(_ node: Node, at path: String, _ r: ConfigReader) -> [String]? {
    if case .scalar = node, !ConfigReader.isNull(node) {
      r.report(
        node, path, "expected a command as a list of words, found \(r.describe(node))",
        hint: "write [program, arg1, arg2]; commands never run through a shell")
      return nil
    }
    guard let items = r.list(node, at: path, of: "words such as [uhubctl, -a, on]") else {
      return nil
    }
    guard !items.isEmpty else {
      r.report(node, path, "the command is empty", hint: "write [program, arg1, arg2]")
      return nil
    }
    let words = items.enumerated().map { index, item in
      r.string(item, at: "\(path)[\(index)]", what: "a word of the command")
    }
    guard words.allSatisfy({ $0 != nil }) else { return nil }
    let argv = words.compactMap { $0 }
    if argv[0].trimmingCharacters(in: .whitespaces).isEmpty {
      r.report(items[0], "\(path)[0]", "the program name is empty")
      return nil
    }
    return argv
  }

  // MARK: Serial ports

  static func readSerialPort(
    _ node: Node, at path: String, _ r: ConfigReader, example: String
  ) -> HardwareSettings.SerialPort? {
    guard
      let t = r.table(
        node, at: path, keys: serialPortKeys,
        what: "a serial port such as { port: \(example), baud: 115200 }")
    else { return nil }
    let baud = r.int(t, "baud", in: 50...20_000_000) ?? 115_200
    let flow: HardwareSettings.FlowControl = r.choice(t, "flow", what: "a flow control") ?? .none
    let reconnect = r.duration(t, "reconnect", maximum: .seconds(3600)) ?? .seconds(10)
    let kinds = oneOf(
      ["port", "usb"], in: t, r,
      what:
        "where the port is: port: (a device path such as \(example)) or "
        + "usb: { vid:, pid:, serial: }"
    )
    let addresses = kinds.map { kind -> HardwareSettings.SerialPort.Address? in
      guard kind == "port" else { return readUSBMatch(t, r).map { .usb($0) } }
      guard let port = r.text(t, "port", what: "a device path such as \(example)") else {
        return nil
      }
      guard port.hasPrefix("/") else {
        r.report(
          t["port"], t.path("port"), "'\(TerminalText.excerpt(port))' is not a device path",
          hint: "give the full path, such as /dev/ttyACM0 or \(example)")
        return nil
      }
      return .path(port)
    }
    guard addresses.count == 1, let address = addresses[0] else { return nil }
    return HardwareSettings.SerialPort(
      address: address, baud: baud, flow: flow, reconnect: reconnect)
  }

  private static func readUSBMatch(_ port: ConfigTable, _ r: ConfigReader) -> HardwareSettings
    .USBMatch?
  {
    guard
      let t = r.table(
        port, "usb", keys: usbKeys,
        what: "a USB match such as { vid: 0x1fc9, pid: 0x0143, serial: \"…\" }")
    else { return nil }
    let match = HardwareSettings.USBMatch(
      vendorID: t["vid"].flatMap { usbID($0, at: t.path("vid"), r) },
      productID: t["pid"].flatMap { usbID($0, at: t.path("pid"), r) },
      serial: r.text(t, "serial", what: "a USB serial number"),
      product: r.text(t, "product", what: "a USB product string"))
    guard !usbKeys.allSatisfy({ t[$0] == nil }) else {
      r.report(
        t.node, t.path, "the USB match is empty",
        hint: "give vid: and pid:, and serial: to pick one of several")
      return nil
    }
    return match
  }

  /// A USB vendor or product id in hex, as lsusb prints it: `0x1fc9` or `1fc9`.
  private static func usbID(_ node: Node, at path: String, _ r: ConfigReader) -> UInt16? {
    guard let text = r.string(node, at: path, what: "a USB id in hex such as 0x1fc9") else {
      return nil
    }
    let lowered = text.lowercased()
    let digits = lowered.hasPrefix("0x") ? String(lowered.dropFirst(2)) : lowered
    guard (1...4).contains(digits.count), let value = UInt16(digits, radix: 16) else {
      r.report(
        node, path, "expected a USB id in hex such as 0x1fc9, found \(r.describe(node))",
        hint: "`rig devices` and lsusb print ids as vid:pid in hex")
      return nil
    }
    return value
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import Yams

// The lines a rig file's hardware sections name: GPIO lines (by name, or chip and offset) and
// FTDI pins, with their options (docs/configuration.md §4.4, docs/bench-setup.md).
extension RigLoader {
  /// The keys of `choices` that `t` has, reporting none or several: callers read every one
  /// given (so its own mistakes are reported too) and use the section only when there is one.
  static func oneOf(_ choices: [String], in t: ConfigTable, _ r: ConfigReader, what: String)
    -> [String]
  {
    let given = choices.filter { t[$0] != nil }
    guard let first = given.first else {
      r.report(t.node, t.path, "missing \(what)")
      return []
    }
    for extra in given.dropFirst() {
      r.report(
        t.entries[extra]?.key, t.path(extra), "\(t.path) has both \(first): and \(extra):",
        hint: "give only one of \(choices.map { "\($0):" }.joined(separator: ", "))")
    }
    return given
  }

  static func readOutputLine(_ kind: String, in t: ConfigTable, _ r: ConfigReader)
    -> HardwareSettings.OutputLine?
  {
    guard let node = t[kind] else { return nil }
    if kind == "gpio" { return readGPIOLine(node, at: t.path(kind), r).map { .gpio($0) } }
    return readFTDIPin(node, at: t.path(kind), r).map { .ftdi($0) }
  }

  static func readGPIOLine(_ node: Node, at path: String, _ r: ConfigReader) -> HardwareSettings
    .GPIOLine?
  {
    guard
      let t = r.table(
        node, at: path, keys: gpioLineKeys, required: ["line"],
        what: "a GPIO line such as { line: GPIO17 } or { chip: gpiochip0, line: 17 }")
    else { return nil }
    let (chip, activeLow, drive) = lineOptions(t, r)
    guard let line = t["line"].flatMap({ lineName($0, at: t.path("line"), chip: chip, r) }) else {
      return nil
    }
    return HardwareSettings.GPIOLine(chip: chip, line: line, activeLow: activeLow, drive: drive)
  }

  static func readGPIOLines(_ bootMode: ConfigTable, _ r: ConfigReader) -> [HardwareSettings
    .OutputLine]?
  {
    guard
      let t = r.table(
        bootMode, "gpio", keys: gpioLinesKeys, required: ["lines"],
        what: "GPIO lines such as { lines: [GPIO5, GPIO6] }")
    else { return nil }
    let (chip, activeLow, drive) = lineOptions(t, r)
    guard let node = t["lines"],
      let items = r.list(node, at: t.path("lines"), of: "line names such as [GPIO5, GPIO6]")
    else { return nil }
    guard !items.isEmpty else {
      r.report(node, t.path("lines"), "expected at least one line")
      return nil
    }
    let lines = items.enumerated().map { index, item in
      lineName(item, at: "\(t.path("lines"))[\(index)]", chip: chip, r).map {
        HardwareSettings.OutputLine.gpio(
          HardwareSettings.GPIOLine(chip: chip, line: $0, activeLow: activeLow, drive: drive))
      }
    }
    guard lines.allSatisfy({ $0 != nil }) else { return nil }
    return lines.compactMap { $0 }
  }

  static func lineOptions(_ t: ConfigTable, _ r: ConfigReader)
    -> (chip: String?, activeLow: Bool, drive: HardwareSettings.Drive)
  {
    let chip = r.text(t, "chip", what: "a GPIO chip such as gpiochip0")
    let activeLow = r.bool(t, "active_low") ?? false
    let drive: HardwareSettings.Drive = r.choice(t, "drive", what: "a drive mode") ?? .pushPull
    return (chip, activeLow, drive)
  }

  /// A line name (`GPIO17`) or an offset (`17`), which only means something on a named chip.
  static func lineName(_ node: Node, at path: String, chip: String?, _ r: ConfigReader)
    -> String?
  {
    guard let line = r.text(node, at: path, what: "a GPIO line name such as GPIO17") else {
      return nil
    }
    if chip == nil, Int(line) != nil {
      r.report(
        node, path, "line \(line) is an offset, which needs a chip",
        hint: "name the line (line: GPIO\(line)) so the file works on a Pi 4 and a Pi 5, or add "
          + "chip: gpiochip0")
      return nil
    }
    return line
  }

  static func readFTDIPin(_ node: Node, at path: String, _ r: ConfigReader)
    -> HardwareSettings.FTDIPin?
  {
    guard
      let t = r.table(
        node, at: path, keys: ftdiPinKeys, required: ["device", "pin"],
        what: "an FTDI pin such as { device: \"0403:6014:FT123456\", pin: 4, mode: bitbang }")
    else { return nil }
    let (device, mode, activeLow) = ftdiOptions(t, r)
    let pin = r.int(t, "pin", in: 0...(mode.pinCount - 1))
    guard let device, let pin else { return nil }
    return HardwareSettings.FTDIPin(device: device, pin: pin, mode: mode, activeLow: activeLow)
  }

  static func readFTDIPins(_ bootMode: ConfigTable, _ r: ConfigReader) -> [HardwareSettings
    .OutputLine]?
  {
    guard
      let t = r.table(
        bootMode, "ftdi", keys: ftdiPinsKeys, required: ["device", "pins"],
        what: "FTDI pins such as { device: \"0403:6014:FT123456\", pins: [5, 6] }")
    else { return nil }
    let (device, mode, activeLow) = ftdiOptions(t, r)
    guard let node = t["pins"],
      let items = r.list(node, at: t.path("pins"), of: "pin numbers such as [5, 6]")
    else { return nil }
    let pins = items.enumerated().map { index, item in
      r.int(item, at: "\(t.path("pins"))[\(index)]", in: 0...(mode.pinCount - 1))
    }
    guard let device, !pins.isEmpty, pins.allSatisfy({ $0 != nil }) else {
      if items.isEmpty { r.report(node, t.path("pins"), "expected at least one pin") }
      return nil
    }
    return pins.compactMap { $0 }.map {
      .ftdi(HardwareSettings.FTDIPin(device: device, pin: $0, mode: mode, activeLow: activeLow))
    }
  }

  static func ftdiOptions(_ t: ConfigTable, _ r: ConfigReader)
    -> (device: String?, mode: HardwareSettings.FTDIPinMode, activeLow: Bool)
  {
    let device = r.text(t, "device", what: "an FTDI device such as \"0403:6014:FT123456\"")
    let mode: HardwareSettings.FTDIPinMode =
      r.choice(t, "mode", what: "an FTDI pin mode") ?? .bitbang
    let activeLow = r.bool(t, "active_low") ?? false
    return (device, mode, activeLow)
  }

  /// A boot-mode level: 0 or 1 (true and false are accepted too).
  static func level(_ node: Node, at path: String, _ r: ConfigReader) -> Bool? {
    if let value = ConfigReader.boolValue(node) { return value }
    if case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any {
      if scalar.string == "0" { return false }
      if scalar.string == "1" { return true }
    }
    r.report(node, path, "expected a level, 0 or 1, found \(r.describe(node))")
    return nil
  }
}

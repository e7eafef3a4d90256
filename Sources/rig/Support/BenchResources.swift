// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigHardware

/// The physical things a rig drives, each named the same way whichever rig file names it, so two
/// rig files that share one cannot run at once (`RigLock`).
///
/// Serial ports are resolved through their symlinks (`/dev/serial/by-id/…`, a `rig sim board`
/// link) to the device node, or found by their USB match; GPIO lines to their chip's device and
/// offset; FTDI chips to their serial number. A power or reset command is named by its argv. A
/// name that cannot be resolved now (the device is absent) is used as written: opening the bench
/// will fail on it anyway.
struct BenchResource: Hashable, Comparable {
  /// What identifies it across rig files: `serial /dev/ttyACM0`, `gpio /dev/gpiochip0 17`.
  var key: String
  /// What it is to this rig, for messages: `the console /dev/serial/by-id/usb-NXP… (/dev/ttyACM0)`.
  var role: String

  static func < (a: BenchResource, b: BenchResource) -> Bool { a.key < b.key }

  /// Every resource of `rig`: its name, and for hardware each port, line, chip and command.
  static func of(_ rig: RigConfiguration) -> [BenchResource] {
    var found = [BenchResource(key: "rig \(rig.name)", role: "rig '\(rig.name)'")]
    guard let hardware = rig.hardware else { return found }
    found.append(serial(hardware.console.address, role: "console"))
    if let camera = hardware.camera { found.append(serial(camera.emulator.address, role: "camera emulator")) }
    switch hardware.power.control {
    case .line(let line): found.append(output(line, role: "power"))
    case .command(let on, let off):
      found.append(command(on, role: "power-on command"))
      found.append(command(off, role: "power-off command"))
    }
    switch hardware.reset?.control {
    case .line(let line): found.append(output(line, role: "reset"))
    case .command(let reset): found.append(command(reset, role: "reset command"))
    case nil: break
    }
    for (index, line) in (hardware.bootMode?.lines ?? []).enumerated() {
      found.append(output(line, role: "boot-mode line \(index + 1)"))
    }
    if let pin = hardware.resultPin { found.append(gpio(pin.line, role: "result pin")) }
    if let pin = hardware.flasher?.programPin { found.append(output(pin, role: "flasher's program pin")) }
    // One lock per resource, even when a rig uses one twice (an FTDI chip for power and reset).
    var seen = Set<String>()
    return found.filter { seen.insert($0.key).inserted }
  }

  static func serial(_ address: HardwareSettings.SerialPort.Address, role: String) -> BenchResource {
    switch address {
    case .path(let path):
      guard let node = realPath(path) else { return BenchResource(key: "serial \(path)", role: "the \(role) \(path)") }
      return BenchResource(key: "serial \(node)", role: "the \(role) \(path)" + (node == path ? "" : " (\(node))"))
    case .usb(let match):
      guard let port = try? SerialPorts.find(match), let node = realPath(port.path) else {
        return BenchResource(key: "serial usb \(match)", role: "the \(role) (USB \(match))")
      }
      return BenchResource(key: "serial \(node)", role: "the \(role) (USB \(match), \(node))")
    }
  }

  static func output(_ line: HardwareSettings.OutputLine, role: String) -> BenchResource {
    switch line {
    case .gpio(let line): gpio(line, role: role)
    case .ftdi(let pin): ftdi(pin, role: role)
    }
  }

  static func gpio(_ line: HardwareSettings.GPIOLine, role: String) -> BenchResource {
    guard let location = try? GPIOChips.locate(GPIOLineSpec(chip: line.chip, line: .init(line.line))) else {
      return BenchResource(key: "gpio \(line.chip ?? "*") \(line.line)", role: "the \(role) line \(line)")
    }
    let chip = realPath(location.chipPath) ?? location.chipPath
    return BenchResource(key: "gpio \(chip) \(location.offset)", role: "the \(role) line \(location.displayName)")
  }

  /// The whole chip: one process at a time can claim an FTDI chip's USB interface.
  static func ftdi(_ pin: HardwareSettings.FTDIPin, role: String) -> BenchResource {
    let written = BenchResource(key: "ftdi \(pin.device)", role: "the \(role) on FTDI \(pin.device)")
    guard let selector = try? FTDISelector(parsing: pin.device) else { return written }
    if let serial = selector.serial { return BenchResource(key: "ftdi serial \(serial)", role: written.role) }
    let matching = ((try? FTDIDevices.list()) ?? []).filter(selector.matches)
    guard selector.index < matching.count else { return written }
    let device = matching[selector.index]
    if let serial = device.serial, !serial.isEmpty {
      return BenchResource(key: "ftdi serial \(serial)", role: written.role)
    }
    return BenchResource(key: "ftdi usb \(device.bus)/\(device.address)", role: written.role)
  }

  static func command(_ command: HardwareSettings.Command, role: String) -> BenchResource {
    BenchResource(key: "command \(command)", role: "the \(role) `\(command)`")
  }

  /// The file a path leads to through every symlink; nil when it does not exist.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}

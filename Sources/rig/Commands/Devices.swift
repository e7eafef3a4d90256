// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHardware

extension Rig {
  struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the serial ports, GPIO chips and FTDI devices of this machine.",
      discussion: """
        Shows what a rig file can name: serial ports with their /dev/serial/by-id names and USB \
        vid:pid, serial and product; GPIO chips with their named lines and who holds each; FTDI \
        chips with the selector to write in a rig file. Exit code 0, even when nothing is attached.
        """)

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
      let inventory = DeviceInventory.collect()
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(inventory)
        Terminal.out(String(decoding: data, as: UTF8.self))
        return
      }
      for line in Self.render(inventory) { Terminal.out(line) }
    }

    /// The inventory as text, a section per kind of device.
    static func render(_ inventory: DeviceInventory) -> [String] {
      var lines: [String] = []
      let ports = inventory.serialPorts
      lines.append("Serial ports (\(ports.count)):")
      if ports.isEmpty { lines.append("  none") }
      for port in ports {
        var line = "  \(port.path)  \(port.transport)"
        if let usb = port.usb {
          line += "  \(usb.id)"
          if let serial = usb.serial { line += "  serial \(serial)" }
          if let product = usb.product { line += "  \"\(product)\"" }
          if let manufacturer = usb.manufacturer { line += " (\(manufacturer))" }
        } else if let description = port.description,
          description != (port.path as NSString).lastPathComponent
        {
          line += "  \(description)"
        }
        lines.append(line)
        for link in port.byID { lines.append("      by-id: \(link)") }
      }
      lines.append("  (pseudo-terminals are not listed; rig opens them by path)")

      let gpio = inventory.gpio
      lines.append(
        "GPIO chips (\(gpio.chips.count)), libgpiod \(gpio.libgpiod) (API v\(gpio.api)):")
      if gpio.chips.isEmpty { lines.append("  none") }
      for chip in gpio.chips {
        if let problem = chip.problem {
          lines.append("  \(chip.name)  \(chip.path)  \(problem)")
          continue
        }
        lines.append("  \(chip.name) [\(chip.label)]  \(chip.path)  \(chip.lines.count) lines")
        let named = chip.namedLines.map { line -> String in
          var text = "\(line.name ?? "")=\(line.offset)"
          if line.used { text += " (held by \(line.consumer ?? "the kernel"))" }
          return text
        }
        if !named.isEmpty { lines.append("      " + named.joined(separator: ", ")) }
      }

      let ftdi = inventory.ftdiDevices
      lines.append("FTDI devices (\(ftdi.count)):")
      if ftdi.isEmpty { lines.append("  none") }
      for device in ftdi {
        var line = "  device: \"\(device.selector)\"  bus \(device.bus) address \(device.address)"
        if let description = device.description { line += "  \"\(description)\"" }
        if let problem = device.problem { line += "  \(problem)" }
        lines.append(line)
      }
      for problem in inventory.problems { lines.append("problem: \(problem)") }
      return lines
    }
  }
}

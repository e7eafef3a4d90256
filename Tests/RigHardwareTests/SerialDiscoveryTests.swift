// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Testing

@testable import RigHardware

@Suite("serial port discovery and USB matching")
struct SerialDiscoveryTests {
  typealias Match = HardwareSettings.USBMatch

  let ports = [
    SerialPortInfo(path: "/dev/ttyS0", transport: "native", description: "ttyS0"),
    SerialPortInfo(
      path: "/dev/ttyACM0", byID: ["/dev/serial/by-id/usb-NXP_MCU-LINK_on-board_ABC-if02"],
      transport: "usb",
      usb: USBDeviceInfo(
        vendorID: 0x1FC9, productID: 0x0143, serial: "ABC",
        product: "MCU-LINK on-board (r0E7) CMSIS-DAP V3.128")),
    SerialPortInfo(
      path: "/dev/ttyUSB0", transport: "usb",
      usb: USBDeviceInfo(
        vendorID: 0x0403, productID: 0x6001, serial: "A10K1", product: "FT232R USB UART")),
    SerialPortInfo(
      path: "/dev/ttyUSB1", transport: "usb",
      usb: USBDeviceInfo(
        vendorID: 0x0403, productID: 0x6001, serial: "A10K2", product: "FT232R USB UART")),
  ]

  @Test("ids, serial and a part of the product string pick a port")
  func matches() throws {
    #expect(
      try SerialPorts.select(Match(vendorID: 0x1FC9, productID: 0x0143), among: ports).path
        == "/dev/ttyACM0")
    #expect(try SerialPorts.select(Match(serial: "A10K2"), among: ports).path == "/dev/ttyUSB1")
    #expect(try SerialPorts.select(Match(product: "mcu-link"), among: ports).path == "/dev/ttyACM0")
    #expect(!Match(vendorID: 0x1FC9).matches(ports[0]), "a native port never matches a USB match")
  }

  @Test("several matches ask for a serial number, listing them")
  func ambiguous() {
    #expect {
      _ = try SerialPorts.select(Match(vendorID: 0x0403, productID: 0x6001), among: ports)
    } throws: { error in
      (error as? RigError)?.message
        == "2 USB serial ports match 0403:6001: /dev/ttyUSB0 (usb 0403:6001 serial \"A10K1\" \"FT232R USB UART\"), "
        + "/dev/ttyUSB1 (usb 0403:6001 serial \"A10K2\" \"FT232R USB UART\"); add serial: (or product:) to "
        + "the rig file to pick one"
    }
  }

  @Test("no match lists the USB ports that are there")
  func none() {
    #expect {
      _ = try SerialPorts.select(Match(vendorID: 0x16C0, productID: 0x0483), among: ports)
    } throws: { error in
      let message = (error as? RigError)?.message ?? ""
      return message.hasPrefix(
        "no USB serial port matches 16c0:0483; USB serial ports here: /dev/ttyACM0 (usb 1fc9:0143")
    }
    #expect {
      _ = try SerialPorts.select(Match(vendorID: 0x16C0), among: [ports[0]])
    } throws: { error in
      (error as? RigError)?.message.contains("there are no USB serial ports here") == true
    }
  }

  @Test("USB ids are written in hex, and read back")
  func usbJSON() throws {
    let data = try JSONEncoder().encode(ports[1].usb)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"vid\":\"1fc9\"") && text.contains("\"pid\":\"0143\""))
    #expect(try JSONDecoder().decode(USBDeviceInfo.self, from: data) == ports[1].usb)
  }

  @Test("the ports of this machine list without error, each with a transport")
  func listsThisMachine() throws {
    let listed = try SerialPorts.list()
    for port in listed {
      #expect(port.path.hasPrefix("/dev/"))
      #expect(["native", "usb", "bluetooth"].contains(port.transport))
      #expect((port.transport == "usb") == (port.usb != nil) || port.transport == "usb")
    }
    #expect(
      listed.allSatisfy { !$0.path.hasPrefix("/dev/pts/") }, "pseudo-terminals are never listed")
  }

  @Test("by-id links are mapped to the device they name")
  func links() throws {
    let pty = try DevicePTY()
    defer { pty.close() }
    let folder = try ScratchFolder()
    try folder.link("usb-Fake_A-if00", to: pty.path)
    try folder.link("usb-Fake_B-if00", to: pty.path)
    try folder.link("dangling", to: "/dev/ttyRIG-gone")
    let map = SerialPorts.links(in: folder.url.path)
    #expect(
      map == [
        pty.path: ["\(folder.url.path)/usb-Fake_A-if00", "\(folder.url.path)/usb-Fake_B-if00"]
      ])
  }
}

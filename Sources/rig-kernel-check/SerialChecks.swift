// SPDX-License-Identifier: Apache-2.0
import Logging
import RigCore
import RigHardware

/// rig's serial backends (SerialPorts, LibSerialPortLink, SerialLinkFactory) on real kernel
/// ttys: the 16550 UART `/dev/ttyS1`, cross-wired by Scripts/qemu/run to QEMU's emulated FTDI
/// FT232 (`/dev/ttyUSB0`, serial number RIG0001, driven by the kernel's ftdi_sio).
struct SerialChecks {
  static let uart = "/dev/ttyS1"
  static let usbPort = "/dev/ttyUSB0"
  static let usbSerial = "RIG0001"
  /// FTDI's vendor id and the FT232's product id, which QEMU's usb-serial reports.
  static let vendorID: UInt16 = 0x0403
  static let productID: UInt16 = 0x6001

  let logger: Logger

  func run(_ run: inout CheckRun) async {
    await discovery(&run)
    await transfers(&run)
  }

  /// The ports listed with their USB identity, and the backend the factory picks for each.
  private func discovery(_ run: inout CheckRun) async {
    await run.check("serial list shows ttyUSB0 with vid 0403, pid 6001, its serial and by-id path")
    {
      let ports = try SerialPorts.list()
      let listed = ports.map(\.summary).joined(separator: ", ")
      guard let usb = ports.first(where: { $0.path == Self.usbPort }) else {
        throw CheckFailure("\(Self.usbPort) not listed; ports: \(listed)")
      }
      try expect(usb.transport == "usb", "\(Self.usbPort) transport is \(usb.transport)")
      try expect(
        usb.usb?.vendorID == Self.vendorID && usb.usb?.productID == Self.productID
          && usb.usb?.serial == Self.usbSerial,
        "\(Self.usbPort) is \(usb.summary)")
      try expect(
        usb.byID.contains { $0.hasPrefix("/dev/serial/by-id/") && $0.contains(Self.usbSerial) },
        "\(Self.usbPort) by-id names: \(usb.byID)")
      guard let uart = ports.first(where: { $0.path == Self.uart }) else {
        throw CheckFailure("\(Self.uart) not listed; ports: \(listed)")
      }
      try expect(uart.transport == "native" && uart.usb == nil, "\(Self.uart) is \(uart.summary)")
    }

    await run.check("serial factory picks libserialport for the real ttys and by-id names") {
      let byID = try SerialPorts.list().first { $0.path == Self.usbPort }?.byID ?? []
      try expect(!byID.isEmpty, "\(Self.usbPort) has no by-id name")
      for path in [Self.uart, Self.usbPort] + byID {
        let choice = try SerialLinkFactory.choose(path: path)
        try expect(choice.backend == .libserialport, "\(path) → \(choice)")
      }
    }
  }

  /// Bytes across the cross-wired ttys, reads at their deadline, a port opened by its USB match.
  private func transfers(_ run: inout CheckRun) async {
    await run.check("serial ttyS1 to ttyUSB0 and back through libserialport") {
      let uart = try LibSerialPortLink(path: Self.uart, baud: 115_200)
      let usb = try LibSerialPortLink(path: Self.usbPort, baud: 115_200)
      try await Self.exchange(from: uart, to: usb, "uart→usb")
      try await Self.exchange(from: usb, to: uart, "usb→uart")
      await uart.close()
      await usb.close()
    }

    await run.check("serial read without data times out at its deadline") {
      let usb = try LibSerialPortLink(path: Self.usbPort, baud: 115_200)
      usb.discardInput()
      let start = ContinuousClock.now
      let chunk = try await usb.read(until: start + .milliseconds(100))
      let waited = ContinuousClock.now - start
      try expect(chunk == nil, "read \(chunk?.bytes.count ?? 0) bytes from an idle line")
      try expect(waited >= .milliseconds(100), "returned after \(waited), before its deadline")
      try expect(waited < .seconds(2), "returned after \(waited), long past its deadline")
      await usb.close()
    }

    await run.check("serial open by USB match, through the by-id name") {
      let match = HardwareSettings.USBMatch(
        vendorID: Self.vendorID, productID: Self.productID, serial: Self.usbSerial)
      let link = try SerialLinkFactory.open(
        HardwareSettings.SerialPort(address: .usb(match), reconnect: .zero), logger: logger)
      try expect(
        link.name.hasPrefix("/dev/serial/by-id/"), "USB match opened \(link.name), not by-id")
      try expect(
        link is LibSerialPortLink,
        "USB match opened \(link.name) through \(type(of: link)), not libserialport")
      let uart = try LibSerialPortLink(path: Self.uart, baud: 115_200)
      try await Self.exchange(from: uart, to: link, "uart→usb match")
      try await Self.exchange(from: link, to: uart, "usb match→uart")
      await link.close()
      await uart.close()
    }

    await run.check("serial USB match for another serial number says what is there") {
      let match = HardwareSettings.USBMatch(vendorID: Self.vendorID, serial: "NOPE42")
      let error = try await expectError("opening USB serial NOPE42") {
        _ = try SerialLinkFactory.open(
          HardwareSettings.SerialPort(address: .usb(match), reconnect: .zero), logger: logger)
      }
      try expect(
        (error as? RigError)?.code == .hardwareUnavailable && "\(error)".contains(Self.usbSerial),
        "error was '\(error)'")
    }

    await run.check("serial missing port is not found") {
      let error = try await expectError("opening /dev/ttyUSB9") {
        _ = try LibSerialPortLink(path: "/dev/ttyUSB9", baud: 115_200)
      }
      try expect(
        (error as? RigError)?.code == .hardwareUnavailable && "\(error)".contains("not found"),
        "error was '\(error)'")
    }
  }

  /// Writes a line on `from` and reads it whole on `to`, checking bytes and arrival stamps.
  static func exchange(from: any SerialLink, to: any SerialLink, _ label: String) async throws {
    to.discardInput()
    let message = Array("rig \(label) \(String(repeating: "0123456789", count: 20))\n".utf8)
    let start = ContinuousClock.now
    try await from.write(message, deadline: start + .seconds(2))
    var received: [UInt8] = []
    let deadline = start + .seconds(5)
    while received.count < message.count {
      guard let chunk = try await to.read(until: deadline) else {
        throw CheckFailure(
          "\(label): \(received.count) of \(message.count) bytes arrived within 5 s")
      }
      try expect(chunk.arrival >= start, "\(label): a chunk is stamped before the write")
      received += chunk.bytes
    }
    try expect(
      received == message, "\(label): received '\(String(decoding: received, as: UTF8.self))'")
  }
}

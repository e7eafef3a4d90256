// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@testable import RigHardware

/// The compact FTDI device form used in rig files.
@Suite struct FTDISelectorTests {
  static let parsed: [(String, FTDISelector, String)] = [
    ("0403:6014", FTDISelector(product: 0x6014), "0403:6014"),
    ("0403:6014:FT123456", FTDISelector(product: 0x6014, serial: "FT123456"), "0403:6014:FT123456"),
    ("0x0403:0x6001:A9XK:Z", FTDISelector(product: 0x6001, serial: "A9XK:Z"), "0403:6001:A9XK:Z"),
    ("s:0x0403:0x6014:SERIAL", FTDISelector(product: 0x6014, serial: "SERIAL"), "0403:6014:SERIAL"),
    ("i:0x0403:0x6001", FTDISelector(product: 0x6001), "0403:6001"),
    ("i:0x0403:0x6001:2", FTDISelector(product: 0x6001, index: 2), "i:0x0403:0x6001:2"),
    ("i:1027:24577", FTDISelector(product: 0x6001), "0403:6001"),
    ("i:02003:0x6010", FTDISelector(product: 0x6010), "0403:6010"),
    ("serial:FT123456", FTDISelector(serial: "FT123456"), "serial:FT123456"),
    (
      "desc:C232HM-DDHSL-0", FTDISelector(productDescription: "C232HM-DDHSL-0"),
      "desc:C232HM-DDHSL-0"
    ),
    (
      "desc:0403:6010:Dual RS232-HS",
      FTDISelector(product: 0x6010, productDescription: "Dual RS232-HS"),
      "desc:0403:6010:Dual RS232-HS"
    ),
    ("desc:Board: rev B", FTDISelector(productDescription: "Board: rev B"), "desc:Board: rev B"),
    ("d:1/4", FTDISelector(usbBus: 1, usbAddress: 4), "d:1/4"),
    (
      "0403:6010:FT4ABC@B", FTDISelector(product: 0x6010, serial: "FT4ABC", interface: .b),
      "0403:6010:FT4ABC@B"
    ),
    (
      "desc:Dual RS232-HS@a", FTDISelector(productDescription: "Dual RS232-HS", interface: .a),
      "desc:Dual RS232-HS@A"
    ),
    (" 0403:6015 ", FTDISelector(product: 0x6015), "0403:6015"),
  ]

  @Test(
    "the compact forms parse into selectors and print back in canonical form", arguments: parsed)
  func parse(text: String, expected: FTDISelector, canonical: String) throws {
    let selector = try FTDISelector(parsing: text)
    #expect(selector == expected)
    #expect(selector.description == canonical)
    #expect(try FTDISelector(parsing: canonical) == expected)
  }

  @Test(
    "text in no known form is a configuration error naming the text and the forms",
    arguments: [
      "", "0403", "zz:6014", "0403:6014:", "04031:6014", "s:0x0403", "s:0x0403:0x6014:",
      "i:0x0403:0x6001:x",
      "i:0x0403", "d:1", "d:1/999", "d:a/b", "desc:", "serial:", "x:bogus", "0403:6014@E", "@B",
    ])
  func bad(text: String) throws {
    let error = try #require(throws: RigError.self) { _ = try FTDISelector(parsing: text) }
    #expect(error.code == .configInvalid)
    #expect(
      error.message.hasPrefix("FTDI device '\(text)' is not in a form rig reads: use VID:PID"))
    #expect(error.message.contains("`rig devices`"))
  }

  @Test("a selector matches listed devices by ids, serial and product string")
  func matching() {
    let device = FTDIDeviceInfo(
      vendor: 0x0403, product: 0x6014, manufacturer: "FTDI", description: "C232HM-DDHSL-0",
      serial: "FT123456",
      bus: 1, address: 7)
    #expect(FTDISelector(product: 0x6014, serial: "FT123456").matches(device))
    #expect(FTDISelector(serial: "FT123456").matches(device))
    #expect(FTDISelector(productDescription: "C232HM-DDHSL-0").matches(device))
    #expect(FTDISelector(usbBus: 1, usbAddress: 7).matches(device))
    #expect(!FTDISelector(product: 0x6014, serial: "FT999").matches(device))
    #expect(!FTDISelector(product: 0x6001).matches(device))
    #expect(!FTDISelector(vendor: 0x1234, product: 0x6014).matches(device))
    #expect(!FTDISelector(usbBus: 1, usbAddress: 8).matches(device))
  }

  @Test("a listed device suggests the selector to write: its serial, else its bus address")
  func suggested() {
    var device = FTDIDeviceInfo(
      vendor: 0x0403, product: 0x6001, manufacturer: "QEMU", description: "QEMU USB SERIAL",
      serial: "RIG0001",
      bus: 1, address: 2)
    #expect(device.selector.description == "0403:6001:RIG0001")
    device.serial = nil
    #expect(device.selector.description == "d:1/2")
  }
}

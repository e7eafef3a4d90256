// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Testing

@testable import RigHardware

/// libftdi1's real paths on a machine with no FTDI device attached (this one, CI).
@Suite struct FTDIHostTests {
  static let noUSB = !FileManager.default.fileExists(atPath: "/dev/bus/usb")
  static let noFTDI = noUSB || ((try? FTDIDevices.list().isEmpty) ?? false)

  @Test(
    "listing FTDI devices on a machine without USB gives an empty list",
    .enabled(if: noUSB, "this machine has USB"))
  func listEmpty() throws {
    #expect(try FTDIDevices.list() == [])
  }

  @Test(
    "a pin on a device that is not attached fails with libftdi's -3 and says what to check",
    .enabled(if: noFTDI, "an FTDI device is attached"),
    arguments: [
      "0403:6014:FT123456", "serial:FT123456", "desc:C232HM-DDHSL-0", "i:0x0403:0x6001:1", "d:1/4",
    ])
  func notAttached(text: String) throws {
    let selector = try FTDISelector(parsing: text)
    let error = try #require(throws: RigError.self) {
      _ = try FTDIOutputPin(selector: selector, mode: .mpsse, pin: 4, initial: false)
    }
    #expect(error.code == .hardwareUnavailable)
    #expect(error.message.hasPrefix("no FTDI device matches \(selector) (is it plugged in?"))
    let cause = try #require(error.cause as? CLibraryError)
    #expect(cause.library == .libftdi1)
    #expect(cause.code == -3)
    #expect(cause.message == "device not found")
  }

  @Test(
    "a failed open leaves nothing claimed: the same pin fails the same way again",
    .enabled(if: noFTDI, "an FTDI device is attached"))
  func nothingLeftOver() throws {
    let selector = try FTDISelector(parsing: "0403:6014:FT123456")
    for _ in 0..<2 {
      let error = try #require(throws: RigError.self) {
        _ = try FTDIOutputPin(selector: selector, mode: .bitbang, pin: 1, initial: true)
      }
      #expect((error.cause as? CLibraryError)?.code == -3, "not 'used twice': \(error.message)")
    }
  }

  @Test("an illegal libftdi device string gives libftdi's -11 and a configuration error")
  func illegalString() throws {
    let context = try FTDIContext()
    let failure = try #require(throws: CLibraryError.self) {
      try context.open(libftdiString: "x:bogus")
    }
    #expect(failure.code == -11)
    #expect(failure.message == "illegal description format")
    #expect(FTDIFailure.error(failure, device: "x:bogus").code == .configInvalid)
  }

  @Test("pin commands on a context that is not open give libftdi's 'USB device unavailable'")
  func notOpen() throws {
    let context = try FTDIContext()
    let bitmode = try #require(throws: CLibraryError.self) {
      try context.run([.setBitmode(mask: 0x10, mode: FTDIPinCommand.bitmodeBitbang)])
    }
    #expect(bitmode.operation == "ftdi_set_bitmode")
    #expect(bitmode.code == -2)
    #expect(bitmode.message == "USB device unavailable")
    let write = try #require(throws: CLibraryError.self) { try context.run([.write([0x10])]) }
    #expect(write.operation == "ftdi_write_data")
    #expect(write.code == -666)
    #expect(FTDIFailure.error(write, device: "0403:6014").message.contains("was it unplugged?"))
  }

  @Test("a pin the mode does not have is refused before any device is opened")
  func pinRange() throws {
    let selector = try FTDISelector(parsing: "0403:6001")
    let error = try #require(throws: RigError.self) {
      _ = try FTDIOutputPin(selector: selector, mode: .cbus, pin: 4, initial: false)
    }
    #expect(error.code == .configInvalid)
    #expect(error.message == "FTDI cbus pins are 0–3; pin 4 of 0403:6001 does not exist")
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigHardware

/// rig's libftdi1 backend on QEMU's emulated FT232: listing and the "no such device" path.
/// QEMU answers neither bitbang nor reads (docs/testing.md), so pins are not driven here;
/// the byte streams for them are unit-tested instead.
struct FTDIChecks {
  func run(_ run: inout CheckRun) async {
    await run.check("ftdi list finds the FT232 with its serial number") {
      let devices = try FTDIDevices.list()
      let found = devices.first { $0.serial == SerialChecks.usbSerial }
      try expect(
        found?.vendor == SerialChecks.vendorID && found?.product == SerialChecks.productID,
        "devices: \(devices)")
    }

    await run.check("ftdi pin on a serial number that is not attached says what to check") {
      let error = try await expectError("opening FTDI serial NOPE42") {
        _ = try FTDIOutputPin(
          selector: FTDISelector(serial: "NOPE42"), mode: .bitbang, pin: 0, initial: false)
      }
      try expect(
        (error as? RigError)?.code == .hardwareUnavailable && "\(error)".contains("NOPE42"),
        "error was '\(error)'")
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@testable import RigHardware

/// libftdi1's codes, per function, mapped to messages that say what to check.
@Suite struct FTDIFailureTests {
  static func failure(_ operation: String, _ code: Int32, _ message: String) -> CLibraryError {
    CLibraryError(library: .libftdi1, operation: operation, code: code, message: message)
  }

  @Test("device not found (-3) says to check the cable, the serial and `rig devices`")
  func notFound() {
    let cause = Self.failure("ftdi_usb_open_desc_index", -3, "device not found")
    let error = FTDIFailure.error(cause, device: "0403:6014:FT123456")
    #expect(error.code == .hardwareUnavailable)
    #expect(
      error.message
        == "no FTDI device matches 0403:6014:FT123456 (is it plugged in? is the serial number right? "
        + "`rig devices` lists the FTDI devices attached)")
    #expect(error.cause as? CLibraryError == cause)
  }

  @Test("a libftdi device string it cannot read (-11) is a configuration error")
  func illegalFormat() {
    let error = FTDIFailure.error(
      Self.failure("ftdi_usb_open_string", -11, "illegal description format"), device: "x:bogus")
    #expect(error.code == .configInvalid)
    #expect(
      error.message
        == "FTDI device string 'x:bogus' is not in libftdi's format (illegal description format): use "
        + "d:BUS/ADDRESS, i:VID:PID[:INDEX] or s:VID:PID:SERIAL")
  }

  @Test("-11 from an open by ids is a USB bus problem, not a format problem")
  func contextInvalid() {
    let error = FTDIFailure.error(
      Self.failure("ftdi_usb_open_desc_index", -11, "libusb_init() failed"), device: "0403:6014")
    #expect(error.code == .hardwareUnavailable)
    #expect(error.message.contains("/dev/bus/usb"))
  }

  @Test(
    "USB device unavailable (-2) after open means it went away",
    arguments: [
      ("ftdi_set_bitmode", Int32(-2)), ("ftdi_write_data", -666), ("ftdi_write_data", -4),
      ("ftdi_read_pins", -2),
    ])
  func unavailable(operation: String, code: Int32) {
    let error = FTDIFailure.error(
      Self.failure(operation, code, "USB device unavailable"), device: "FT232H 0403:6014")
    #expect(error.code == .hardwareFault)
    #expect(
      error.message
        == "FTDI device FT232H 0403:6014 is not available any more (USB device unavailable); was it unplugged? "
        + "re-plug it and run again")
  }

  @Test("no permission on the USB node points at plugdev and the udev rules")
  func permission() {
    for cause in [
      Self.failure("ftdi_usb_open_desc_index", -4, "usb_open() failed"),
      Self.failure("ftdi_usb_open_desc_index", -8, "inappropriate permissions on device!"),
    ] {
      let error = FTDIFailure.error(cause, device: "serial:FT1")
      #expect(error.code == .hardwareUnavailable)
      #expect(error.message.contains("'plugdev' group"))
      #expect(error.message.contains("udev rules"))
      #expect(error.message.contains("(\(cause.message))"))
    }
  }

  @Test("a device held elsewhere (-5) names ftdi_sio and other programs")
  func busy() {
    let error = FTDIFailure.error(
      Self.failure("ftdi_usb_open_desc_index", -5, "unable to claim usb device"),
      device: "0403:6001:RIG0001")
    #expect(error.code == .hardwareUnavailable)
    #expect(
      error.message.hasPrefix(
        "FTDI device 0403:6001:RIG0001 is in use (unable to claim usb device)"))
    #expect(error.message.contains("ftdi_sio"))
  }

  @Test("a refused bitmode (-1) says what each mode needs", arguments: FTDIPinMode.allCases)
  func refusedMode(mode: FTDIPinMode) {
    let error = FTDIFailure.error(
      Self.failure("ftdi_set_bitmode", -1, "unable to configure bitbang mode"),
      device: "FT232R 0403:6001", mode: mode)
    #expect(error.code == .hardwareFault)
    #expect(error.message.hasPrefix("FTDI device FT232R 0403:6001 refused "))
    switch mode {
    case .cbus: #expect(error.message.contains("EEPROM"))
    case .bitbang: #expect(error.message.contains("FT232R, FT232H, FT2232H or FT4232H"))
    case .mpsse: #expect(error.message.contains("FT232H"))
    }
  }

  @Test("a USB bus that cannot be listed is reported as unavailable hardware")
  func findAll() {
    let error = FTDIFailure.error(
      Self.failure("ftdi_usb_find_all", -5, "libusb_get_device_list() failed"), device: "(listing)")
    #expect(error.code == .hardwareUnavailable)
    #expect(error.message.hasPrefix("cannot list USB devices (libusb_get_device_list() failed)"))
  }

  @Test("any other failure names the call and what libftdi said")
  func other() {
    let error = FTDIFailure.error(
      Self.failure("ftdi_write_data", -9, "usb bulk write failed"), device: "0403:6014")
    #expect(error.code == .hardwareFault)
    #expect(error.message == "FTDI device 0403:6014: ftdi_write_data failed: usb bulk write failed")
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore

/// What libftdi1's codes mean for the person at the bench. libftdi1 numbers its errors per
/// function, so the mapping looks at which call failed as well as the code. Pure, so every
/// message is unit-tested.
enum FTDIFailure {
  static let permissionHint =
    "add your user to the 'plugdev' group and install rig's udev rules for FTDI devices "
    + "(idVendor 0403), then re-plug it"

  /// The `RigError` for a failed libftdi1 call on the device named `device` (its selector).
  static func error(_ failure: CLibraryError, device: String, mode: FTDIPinMode? = nil) -> RigError
  {
    let code = failure.code
    let said = failure.message
    switch failure.operation {
    case "ftdi_usb_open_desc_index", "ftdi_usb_open_string":
      return openFailed(failure, device: device)
    case "ftdi_usb_find_all":
      return RigError(
        .hardwareUnavailable,
        "cannot list USB devices (\(said)); is /dev/bus/usb there? (in a container, pass the "
          + "USB bus through)",
        cause: failure)
    case "ftdi_set_interface":
      return RigError(
        .configInvalid, "FTDI device \(device): \(said) (interfaces are A–D)", cause: failure)
    case "ftdi_set_bitmode" where code == -1:
      return RigError(
        .hardwareFault,
        "FTDI device \(device) refused \(modeName(mode)) (\(said)): \(modeHint(mode))",
        cause: failure)
    case "ftdi_set_bitmode" where code == -2, "ftdi_write_data" where code == -666,
      "ftdi_read_pins" where code == -2:
      return gone(failure, device: device)
    case "ftdi_write_data" where code == -4:
      // libusb's LIBUSB_ERROR_NO_DEVICE, passed through by ftdi_write_data.
      return gone(failure, device: device)
    case "ftdi_write_data" where code == -7:
      return RigError(
        .hardwareFault,
        "FTDI device \(device) did not take the pin update in time (\(said)); re-plug it or try another "
          + "USB port or cable",
        cause: failure)
    default:
      return RigError(
        .hardwareFault, "FTDI device \(device): \(failure.operation) failed: \(said)",
        cause: failure)
    }
  }

  private static func openFailed(_ failure: CLibraryError, device: String) -> RigError {
    let said = failure.message
    switch failure.code {
    case -3:
      return RigError(
        .hardwareUnavailable,
        "no FTDI device matches \(device) (is it plugged in? is the serial number right? "
          + "`rig devices` lists the FTDI devices attached)",
        cause: failure)
    case -4:
      return RigError(
        .hardwareUnavailable,
        "FTDI device \(device) is attached but cannot be opened (\(said)): no permission on its USB "
          + "device node; \(permissionHint)",
        cause: failure)
    case -5:
      return RigError(
        .hardwareUnavailable,
        "FTDI device \(device) is in use (\(said)): another program holds it (a serial terminal on its "
          + "/dev/ttyUSB*, another rig), or the ftdi_sio driver could not be detached from it",
        cause: failure)
    case -8 where said.contains("permission"):
      return RigError(
        .hardwareUnavailable,
        "FTDI device \(device) cannot be taken from the ftdi_sio driver (\(said)); \(permissionHint)",
        cause: failure)
    case -8, -9:
      return RigError(
        .hardwareFault,
        "FTDI device \(device) did not give its \(failure.code == -8 ? "product string" : "serial number") "
          + "(\(said)); re-plug it",
        cause: failure)
    case -6, -7:
      return RigError(
        .hardwareFault,
        "FTDI device \(device) did not answer while being set up (\(said)); re-plug it or try another "
          + "USB port or cable",
        cause: failure)
    case -11 where failure.operation == "ftdi_usb_open_string":
      return RigError(
        .configInvalid,
        "FTDI device string '\(device)' is not in libftdi's format (\(said)): use d:BUS/ADDRESS, "
          + "i:VID:PID[:INDEX] or s:VID:PID:SERIAL",
        cause: failure)
    case -1, -2, -11, -12, -13:
      return RigError(
        .hardwareUnavailable,
        "cannot search the USB bus for FTDI device \(device) (\(said)); is /dev/bus/usb there? "
          + "(in a container, pass the USB bus through)",
        cause: failure)
    default:
      return RigError(.hardwareFault, "cannot open FTDI device \(device): \(said)", cause: failure)
    }
  }

  private static func gone(_ failure: CLibraryError, device: String) -> RigError {
    RigError(
      .hardwareFault,
      "FTDI device \(device) is not available any more (\(failure.message)); was it unplugged? "
        + "re-plug it and run again",
      cause: failure)
  }

  private static func modeName(_ mode: FTDIPinMode?) -> String {
    switch mode {
    case .cbus: "CBUS bitbang mode"
    case .bitbang: "asynchronous bitbang mode"
    case .mpsse: "MPSSE mode"
    case nil: "the pin mode"
    }
  }

  private static func modeHint(_ mode: FTDIPinMode?) -> String {
    switch mode {
    case .cbus:
      "CBUS pins work only on an FT232R or FT230X whose EEPROM sets them to I/O mode "
        + "(ftdi_eeprom: cbusN=IOMODE)"
    case .bitbang: "bitbang needs an FT232R, FT232H, FT2232H or FT4232H (or an older BM-type chip)"
    case .mpsse: "MPSSE needs an FT232H, or interface A or B of an FT2232H or FT4232H"
    case nil: "check the chip type"
    }
  }
}

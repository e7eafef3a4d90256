// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@testable import RigHardware

#if canImport(Glibc)
  import Glibc
#endif

@Suite("messages for serial ports that cannot be opened")
struct SerialFailureTests {
  @Test(
    "each way an open fails says what to check",
    arguments: [
      (
        EACCES, RigError.Code.hardwareUnavailable,
        "serial port /dev/ttyACM0: permission denied (add your user to the 'dialout' group"
      ),
      (
        EBUSY, .hardwareUnavailable,
        "serial port /dev/ttyACM0 is in use by another program (close it; `fuser -v /dev/ttyACM0` names it)"
      ),
      (
        ENXIO, .hardwareUnavailable,
        "serial port /dev/ttyACM0 has no device behind it (No such device or address; unplugged?)"
      ),
      (ENOTTY, .hardwareUnavailable, "/dev/ttyACM0 is not a serial port"),
      (
        ENOENT, .hardwareUnavailable,
        "serial port /dev/ttyACM0 not found (is the board plugged in and powered?"
      ),
      (EIO, .hardwareFault, "cannot open serial port /dev/ttyACM0: Input/output error"),
    ])
  func openFailures(code: Int32, kind: RigError.Code, prefix: String) {
    let error = SerialFailure.openFailed("/dev/ttyACM0", errno: code)
    #expect(error.code == kind)
    #expect(error.message.hasPrefix(prefix), "\(error.message)")
  }

  @Test("a missing by-id name explains that it carries the adapter's serial number")
  func byID() {
    let error = SerialFailure.notFound("/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K-if00-port0")
    #expect(
      error.message.hasSuffix(
        "a by-id name holds the adapter's serial number, so another adapter has another name)"))
  }

  @Test("a baud rate a plain tty cannot take lists those it can")
  func baud() throws {
    let pty = try DevicePTY()
    defer { pty.close() }
    #expect {
      _ = try TermiosSerialLink(path: pty.path, baud: 123_456)
    } throws: { error in
      let rig = error as? RigError
      return rig?.code == .configInvalid
        && rig?.message.hasPrefix(
          "serial port \(pty.path): baud rate 123456 is not supported here (supported: 1200, 2400,")
          == true
    }
  }
}

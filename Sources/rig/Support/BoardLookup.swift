// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigHardware

/// What the host can find out about a hardware rig's board beyond its rig file: the USB serial
/// number of the port its console is on, which for an EVK's on-board debug probe or a Teensy is
/// one per board.
enum BoardLookup {
  /// The board behind the console port, or nil when the console is not a USB serial port with a
  /// serial number (then the rig file's names stand in, see `RunIdentity`).
  static func board(of rig: RigConfiguration) -> BoardIdentity? {
    guard let console = rig.hardware?.console, case .path(let path) = console.address,
      let ports = try? SerialPorts.list()
    else { return nil }
    let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    let port = ports.first { $0.path == path || $0.path == real || $0.byID.contains(path) }
    guard let usb = port?.usb, let serial = usb.serial, !serial.isEmpty else { return nil }
    return BoardIdentity(
      id: BoardIdentity.usbID(vendor: usb.vendorID, product: usb.productID, serial: serial),
      source: "usb-serial")
  }
}

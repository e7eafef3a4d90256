// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Which physical board a run used, as far as the rig file or the bench can tell: two boards of
/// the same model differ in latency and RAM, so history keeps their runs apart.
public struct BoardIdentity: Sendable, Equatable {
  public var id: String
  /// Where the id comes from: `usb-serial` (the console's USB serial number), `serial-by-id`
  /// (the console's /dev/serial/by-id name), `simulated` (a virtual board's serial), or
  /// `rig-name` when nothing better is known.
  public var source: String

  public init(id: String, source: String) {
    self.id = id
    self.source = source
  }

  /// The simulated bench's virtual board: a stable serial derived from the rig's name, so each
  /// simulated rig is one board, the same from run to run.
  public static func simulated(rig: String) -> BoardIdentity {
    let digest = SHA256.hex(Array("rig.sim-board/\(rig)".utf8))
    return BoardIdentity(id: "SIM-" + digest.prefix(12).uppercased(), source: "simulated")
  }

  /// What the rig file alone says about a hardware board: the USB serial it matches the console
  /// by, or the stable /dev/serial/by-id name of its console port (which embeds the serial).
  public static func declared(by rig: RigConfiguration) -> BoardIdentity? {
    guard let console = rig.hardware?.console else { return nil }
    switch console.address {
    case .usb(let match):
      guard let serial = match.serial else { return nil }
      return BoardIdentity(id: usbID(vendor: match.vendorID, product: match.productID, serial: serial), source: "usb-serial")
    case .path(let path) where path.hasPrefix("/dev/serial/by-id/"):
      return BoardIdentity(id: String(path.dropFirst("/dev/serial/by-id/".count)), source: "serial-by-id")
    case .path:
      return nil
    }
  }

  /// The fallback: the rig's own name, which is at least stable for one bench.
  public static func named(rig: String) -> BoardIdentity {
    BoardIdentity(id: rig, source: "rig-name")
  }

  /// `usb:1fc9:0143:ABC123`, with the parts known.
  public static func usbID(vendor: UInt16?, product: UInt16?, serial: String) -> String {
    func hex(_ value: UInt16?) -> String {
      guard let value else { return "*" }
      let digits = String(value, radix: 16)
      return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
    return "usb:\(hex(vendor)):\(hex(product)):\(serial)"
  }
}

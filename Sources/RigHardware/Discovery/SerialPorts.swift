// SPDX-License-Identifier: Apache-2.0
import CSerialPort
import Foundation
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// The serial ports of this machine, from libserialport's list (`/sys/class/tty`) and udev's
/// stable names under `/dev/serial`. Pseudo-terminals are never listed.
public enum SerialPorts {
  /// Every port, sorted by path. Throws only when libserialport cannot list at all.
  public static func list() throws -> [SerialPortInfo] {
    var list: UnsafeMutablePointer<OpaquePointer?>?
    do {
      try LibSerialPortCall.check("sp_list_ports") { sp_list_ports(&list) }
    } catch {
      throw RigError(
        .hardwareFault, "cannot list serial ports: \(error.error.message)", cause: error.error)
    }
    defer { sp_free_port_list(list) }
    let byID = links(in: "/dev/serial/by-id")
    let byPath = links(in: "/dev/serial/by-path")
    var ports: [SerialPortInfo] = []
    var i = 0
    while let port = list?[i] {
      i += 1
      guard let name = sp_get_port_name(port).map({ String(cString: $0) }) else { continue }
      let device = resolved(name) ?? name
      var info = SerialPortInfo(
        path: name, byID: byID[device] ?? [], byPath: byPath[device] ?? [],
        transport: transport(sp_get_port_transport(port)),
        description: sp_get_port_description(port).map { String(cString: $0) })
      if sp_get_port_transport(port) == SP_TRANSPORT_USB {
        info.usb = usbInfo(port)
      }
      ports.append(info)
    }
    return ports.sorted { $0.path < $1.path }
  }

  /// The one USB serial port `match` names; the error lists what is there.
  public static func find(_ match: HardwareSettings.USBMatch) throws -> SerialPortInfo {
    try select(match, among: list())
  }

  /// The one port of `ports` that `match` names.
  static func select(_ match: HardwareSettings.USBMatch, among ports: [SerialPortInfo]) throws
    -> SerialPortInfo
  {
    let found = ports.filter(match.matches)
    if found.count == 1 { return found[0] }
    let usbPorts = ports.filter { $0.usb != nil }
    if found.isEmpty {
      let present =
        usbPorts.isEmpty
        ? "there are no USB serial ports here"
        : "USB serial ports here: " + usbPorts.map(\.summary).joined(separator: ", ")
      return try fail(
        .hardwareUnavailable,
        "no USB serial port matches \(match); \(present) (is the board plugged in and powered? "
          + "`rig devices` lists the ports)")
    }
    return try fail(
      .configInvalid,
      "\(found.count) USB serial ports match \(match): "
        + found.map(\.summary).joined(separator: ", ")
        + "; add serial: (or product:) to the rig file to pick one")
  }

  private static func fail(_ code: RigError.Code, _ message: String) throws -> SerialPortInfo {
    throw RigError(code, message)
  }

  /// The target of each link in `directory`, resolved: device path → the links naming it.
  static func links(in directory: String) -> [String: [String]] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return [:]
    }
    var map: [String: [String]] = [:]
    for name in names.sorted() {
      let link = "\(directory)/\(name)"
      if let target = resolved(link) { map[target, default: []].append(link) }
    }
    return map
  }

  /// `path` with every symlink resolved, or nil when it does not lead to a file.
  static func resolved(_ path: String) -> String? {
    guard let pointer = realpath(path, nil) else { return nil }
    defer { free(pointer) }
    return String(cString: pointer)
  }

  private static func transport(_ t: sp_transport) -> String {
    switch t {
    case SP_TRANSPORT_USB: "usb"
    case SP_TRANSPORT_BLUETOOTH: "bluetooth"
    default: "native"
    }
  }

  private static func usbInfo(_ port: OpaquePointer) -> USBDeviceInfo? {
    var vid: Int32 = 0
    var pid: Int32 = 0
    guard sp_get_port_usb_vid_pid(port, &vid, &pid) == SP_OK else { return nil }
    var bus: Int32 = 0
    var address: Int32 = 0
    let hasAddress = sp_get_port_usb_bus_address(port, &bus, &address) == SP_OK
    return USBDeviceInfo(
      vendorID: UInt16(truncatingIfNeeded: vid), productID: UInt16(truncatingIfNeeded: pid),
      serial: sp_get_port_usb_serial(port).map { String(cString: $0) },
      product: sp_get_port_usb_product(port).map { String(cString: $0) },
      manufacturer: sp_get_port_usb_manufacturer(port).map { String(cString: $0) },
      bus: hasAddress ? Int(bus) : nil, address: hasAddress ? Int(address) : nil)
  }
}

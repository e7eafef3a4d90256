// SPDX-License-Identifier: Apache-2.0
import CFTDI

/// The FTDI chips attached to this machine.
public enum FTDIDevices {
  /// Every chip with one of FTDI's usual product ids (6001, 6010, 6011, 6014, 6015), by bus
  /// address. A chip whose strings cannot be read (no permission) is listed with the `problem`.
  ///
  /// - Throws: `RigError(.hardwareUnavailable)` if the USB bus cannot be searched at all.
  public static func list() throws -> [FTDIDeviceInfo] {
    let context: FTDIContext
    do throws(CLibraryError) {
      context = try FTDIContext()
    } catch {
      throw FTDIFailure.error(error, device: "(listing)")
    }
    var head: UnsafeMutablePointer<ftdi_device_list>?
    do throws(CLibraryError) {
      // 0, 0: libftdi's default set of FTDI product ids.
      try CLibraryError.checkFTDI(
        ftdi_usb_find_all(context.context, &head, 0, 0), context.context, "ftdi_usb_find_all")
    } catch {
      throw FTDIFailure.error(error, device: "(listing)")
    }
    defer { ftdi_list_free(&head) }
    var devices: [FTDIDeviceInfo] = []
    var node = head
    while let entry = node {
      if let device = entry.pointee.dev { devices.append(describe(device, context)) }
      node = entry.pointee.next
    }
    return devices.sorted { ($0.bus, $0.address) < ($1.bus, $1.address) }
  }

  private static func describe(_ device: OpaquePointer, _ context: FTDIContext) -> FTDIDeviceInfo {
    var descriptor = libusb_device_descriptor()
    _ = libusb_get_device_descriptor(device, &descriptor)
    var info = FTDIDeviceInfo(
      vendor: descriptor.idVendor, product: descriptor.idProduct, manufacturer: nil,
      description: nil,
      serial: nil, bus: Int(libusb_get_bus_number(device)),
      address: Int(libusb_get_device_address(device)))
    var manufacturer = [CChar](repeating: 0, count: 128)
    var product = [CChar](repeating: 0, count: 128)
    var serial = [CChar](repeating: 0, count: 128)
    let result = ftdi_usb_get_strings(
      context.context, device, &manufacturer, 128, &product, 128, &serial, 128)
    if result == 0 {
      info.manufacturer = string(manufacturer)
      info.description = string(product)
      info.serial = string(serial)
    } else {
      info.problem =
        result == -4
        ? "cannot read its strings: no permission; \(FTDIFailure.permissionHint)"
        : "cannot read its strings (\(String(cString: ftdi_get_error_string(context.context))))"
    }
    return info
  }

  private static func string(_ characters: [CChar]) -> String? {
    let text = String(
      decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return text.isEmpty ? nil : text
  }
}

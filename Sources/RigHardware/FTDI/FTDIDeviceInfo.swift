// SPDX-License-Identifier: Apache-2.0

/// One FTDI chip on the USB bus, as `rig devices` lists it.
public struct FTDIDeviceInfo: Sendable, Equatable, Codable {
  public var vendor: UInt16
  public var product: UInt16
  public var manufacturer: String?
  /// The USB product string: libftdi's "description", matched by `desc:` selectors.
  public var description: String?
  public var serial: String?
  /// The USB bus number and device address (both change when the device is re-plugged).
  public var bus: Int
  public var address: Int
  /// Why the strings could not be read (no permission, busy), with the fix; nil if they were.
  public var problem: String?

  /// A listed device.
  public init(
    vendor: UInt16, product: UInt16, manufacturer: String?, description: String?, serial: String?,
    bus: Int, address: Int, problem: String? = nil
  ) {
    self.vendor = vendor
    self.product = product
    self.manufacturer = manufacturer
    self.description = description
    self.serial = serial
    self.bus = bus
    self.address = address
    self.problem = problem
  }

  /// The selector to write in a rig file for this device: by serial number when it has one,
  /// else by its bus address (which changes when it is re-plugged).
  public var selector: FTDISelector {
    if let serial, !serial.isEmpty {
      return FTDISelector(vendor: vendor, product: product, serial: serial)
    }
    return FTDISelector(usbBus: bus, usbAddress: address)
  }
}

// SPDX-License-Identifier: Apache-2.0
import RigCore

/// One serial port as `rig devices` shows it and USB matches see it.
public struct SerialPortInfo: Sendable, Equatable, Codable {
  /// The device node: `/dev/ttyACM0`.
  public var path: String
  /// The stable names udev made for it: `/dev/serial/by-id/usb-NXP_…-if02`.
  public var byID: [String]
  /// Names by USB topology: `/dev/serial/by-path/platform-…-usb-0:1.2:1.0`.
  public var byPath: [String]
  /// `native`, `usb` or `bluetooth`.
  public var transport: String
  /// What libserialport calls it: `MCU-LINK on-board - ABC123`, `ttyS0`.
  public var description: String?
  /// The USB device behind it, for USB ports.
  public var usb: USBDeviceInfo?

  /// A port as listed.
  public init(
    path: String, byID: [String] = [], byPath: [String] = [], transport: String,
    description: String? = nil, usb: USBDeviceInfo? = nil
  ) {
    self.path = path
    self.byID = byID
    self.byPath = byPath
    self.transport = transport
    self.description = description
    self.usb = usb
  }

  /// `/dev/ttyACM0 (usb 1fc9:0143 serial "ABC" "MCU-LINK on-board")`, for messages.
  public var summary: String {
    guard let usb else { return "\(path) (\(transport))" }
    var text = "\(path) (usb \(usb.id)"
    if let serial = usb.serial { text += " serial \"\(serial)\"" }
    if let product = usb.product { text += " \"\(product)\"" }
    return text + ")"
  }
}

/// The USB device behind a serial port.
public struct USBDeviceInfo: Sendable, Equatable, Codable {
  public var vendorID: UInt16
  public var productID: UInt16
  public var serial: String?
  public var product: String?
  public var manufacturer: String?
  public var bus: Int?
  public var address: Int?

  /// A USB device as listed.
  public init(
    vendorID: UInt16, productID: UInt16, serial: String? = nil, product: String? = nil,
    manufacturer: String? = nil, bus: Int? = nil, address: Int? = nil
  ) {
    self.vendorID = vendorID
    self.productID = productID
    self.serial = serial
    self.product = product
    self.manufacturer = manufacturer
    self.bus = bus
    self.address = address
  }

  /// `1fc9:0143`, as lsusb prints it.
  public var id: String {
    "\(HardwareSettings.USBMatch.hex(vendorID)):\(HardwareSettings.USBMatch.hex(productID))"
  }

  enum CodingKeys: String, CodingKey {
    case vendorID = "vid"
    case productID = "pid"
    case serial, product, manufacturer, bus, address
  }

  // Ids are written in hex, as lsusb and rig files write them.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func id(_ key: CodingKeys) throws -> UInt16 {
      let text = try c.decode(String.self, forKey: key)
      guard let value = UInt16(text, radix: 16) else {
        throw DecodingError.dataCorruptedError(
          forKey: key, in: c, debugDescription: "not a hex USB id: \(text)")
      }
      return value
    }
    vendorID = try id(.vendorID)
    productID = try id(.productID)
    serial = try c.decodeIfPresent(String.self, forKey: .serial)
    product = try c.decodeIfPresent(String.self, forKey: .product)
    manufacturer = try c.decodeIfPresent(String.self, forKey: .manufacturer)
    bus = try c.decodeIfPresent(Int.self, forKey: .bus)
    address = try c.decodeIfPresent(Int.self, forKey: .address)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(HardwareSettings.USBMatch.hex(vendorID), forKey: .vendorID)
    try c.encode(HardwareSettings.USBMatch.hex(productID), forKey: .productID)
    try c.encodeIfPresent(serial, forKey: .serial)
    try c.encodeIfPresent(product, forKey: .product)
    try c.encodeIfPresent(manufacturer, forKey: .manufacturer)
    try c.encodeIfPresent(bus, forKey: .bus)
    try c.encodeIfPresent(address, forKey: .address)
  }
}

extension HardwareSettings.USBMatch {
  /// Whether `port` is a USB port this match names: ids and serial equal, the product string
  /// containing `product` (ignoring case, as firmware versions change the rest of it).
  public func matches(_ port: SerialPortInfo) -> Bool {
    guard let usb = port.usb else { return false }
    if let vendorID, vendorID != usb.vendorID { return false }
    if let productID, productID != usb.productID { return false }
    if let serial, serial != usb.serial { return false }
    if let product {
      guard let actual = usb.product, actual.lowercased().contains(product.lowercased()) else {
        return false
      }
    }
    return true
  }
}

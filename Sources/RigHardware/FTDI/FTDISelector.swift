// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// Which FTDI chip a rig file means, written compactly:
///
/// | form | meaning |
/// | --- | --- |
/// | `0403:6014` | vendor and product ids, in hex as `lsusb` prints them |
/// | `0403:6014:FT123456` | the same, with the serial number |
/// | `serial:FT123456` | FTDI's vendor id, any of FTDI's usual product ids, this serial |
/// | `desc:C232HM-DDHSL-0`, `desc:0403:6014:Dual RS232` | the product string the chip reports |
/// | `s:0x0403:0x6014:FT123456` | libftdi's form: ids and serial (numbers as in C, see below) |
/// | `i:0x0403:0x6014[:INDEX]` | libftdi's form: ids and which of several, from 0 |
/// | `d:BUS/ADDRESS` | libftdi's form for a USB bus and device address (changes on re-plug) |
///
/// Any form may end in `@A`–`@D` to pick the interface of an FT2232H or FT4232H. In libftdi's
/// `s:` and `i:` forms numbers read as in C (`0x` hex, a leading `0` octal, else decimal), as
/// libftdi reads them; elsewhere ids are hex, as `lsusb` prints them.
public struct FTDISelector: Sendable, Hashable, CustomStringConvertible {
  /// The channel of a multi-channel chip.
  public enum Interface: String, Sendable, Hashable, Codable, CaseIterable {
    case any
    case a = "A"
    case b = "B"
    case c = "C"
    case d = "D"
  }

  /// FTDI's USB vendor id.
  public static let ftdiVendor: UInt16 = 0x0403
  /// The product ids tried when none is given, as libftdi does: FT232R/FT245R, FT2232, FT4232H,
  /// FT232H, FT230X.
  public static let defaultProducts: [UInt16] = [0x6001, 0x6010, 0x6011, 0x6014, 0x6015]

  public var vendor: UInt16
  /// nil tries each of `defaultProducts`.
  public var product: UInt16?
  public var serial: String?
  /// The USB product string (libftdi's "description").
  public var productDescription: String?
  /// Which of several matching devices, from 0.
  public var index: Int
  /// A USB bus number and device address, instead of ids.
  public var usbBus: Int?
  public var usbAddress: Int?
  public var interface: Interface

  /// A selector from its parts; every part left nil matches anything.
  public init(
    vendor: UInt16 = ftdiVendor, product: UInt16? = nil, serial: String? = nil,
    productDescription: String? = nil, index: Int = 0, usbBus: Int? = nil, usbAddress: Int? = nil,
    interface: Interface = .any
  ) {
    self.vendor = vendor
    self.product = product
    self.serial = serial
    self.productDescription = productDescription
    self.index = index
    self.usbBus = usbBus
    self.usbAddress = usbAddress
    self.interface = interface
  }

  /// Parses the compact form (see the type's documentation).
  ///
  /// - Throws: `RigError(.configInvalid)` naming the text and the forms rig accepts.
  public init(parsing text: String) throws {
    var body = Substring(text.trimmingCharacters(in: .whitespaces))
    var interface = Interface.any
    if body.count >= 2, body.dropLast().last == "@", let letter = body.last,
      let chosen = Interface(rawValue: letter.uppercased()), chosen != .any
    {
      interface = chosen
      body = body.dropLast(2)
    }
    guard var selector = Self.parseBody(body) else { throw Self.badForm(text) }
    selector.interface = interface
    self = selector
  }

  /// The compact form, which `init(parsing:)` reads back. A selector built with both a serial
  /// and a description prints the description form only.
  public var description: String {
    var text: String
    if let bus = usbBus, let address = usbAddress {
      text = "d:\(bus)/\(address)"
    } else if let productDescription {
      text =
        "desc:" + (product.map { "\(Self.hex(vendor)):\(Self.hex($0)):" } ?? "")
        + productDescription
    } else if let serial {
      text = product.map { "\(Self.hex(vendor)):\(Self.hex($0)):\(serial)" } ?? "serial:\(serial)"
    } else if let product, index > 0 {
      text = "i:0x\(Self.hex(vendor)):0x\(Self.hex(product)):\(index)"
    } else {
      text = "\(Self.hex(vendor)):" + (product.map(Self.hex) ?? "any")
    }
    if interface != .any { text += "@\(interface.rawValue)" }
    return text
  }

  /// Whether a listed device fits this selector (the interface and index are not compared).
  public func matches(_ device: FTDIDeviceInfo) -> Bool {
    if let usbBus, let usbAddress { return device.bus == usbBus && device.address == usbAddress }
    guard device.vendor == vendor else { return false }
    if let product, device.product != product { return false }
    if product == nil, !Self.defaultProducts.contains(device.product) { return false }
    if let serial, device.serial != serial { return false }
    if let productDescription, device.description != productDescription { return false }
    return true
  }

  static func hex(_ id: UInt16) -> String {
    let digits = String(id, radix: 16)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  static func badForm(_ text: String) -> RigError {
    RigError(
      .configInvalid,
      "FTDI device '\(text)' is not in a form rig reads: use VID:PID or VID:PID:SERIAL "
        + "(0403:6014:FT123456), serial:SERIAL, desc:PRODUCT or desc:VID:PID:PRODUCT, "
        + "i:VID:PID[:INDEX], s:VID:PID:SERIAL or d:BUS/ADDRESS, optionally ending in @A–@D "
        + "for the interface (`rig devices` lists the FTDI devices attached)")
  }

  private static func parseBody(_ body: Substring) -> FTDISelector? {
    if body.hasPrefix("serial:") {
      let serial = body.dropFirst("serial:".count)
      return serial.isEmpty ? nil : FTDISelector(serial: String(serial))
    }
    if body.hasPrefix("desc:") {
      let rest = body.dropFirst("desc:".count)
      let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      if parts.count == 3, let vendor = hexID(parts[0]), let product = hexID(parts[1]),
        !parts[2].isEmpty
      {
        return FTDISelector(vendor: vendor, product: product, productDescription: String(parts[2]))
      }
      return rest.isEmpty ? nil : FTDISelector(productDescription: String(rest))
    }
    if body.hasPrefix("d:") {
      let parts = body.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false)
      guard parts.count == 2, let bus = Int(parts[0]), let address = Int(parts[1]),
        (0...255).contains(bus), (0...255).contains(address)
      else { return nil }
      return FTDISelector(usbBus: bus, usbAddress: address)
    }
    if body.hasPrefix("s:") {
      let parts = body.dropFirst(2).split(
        separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard parts.count == 3, let vendor = cNumber(parts[0]), let product = cNumber(parts[1]),
        !parts[2].isEmpty
      else { return nil }
      return FTDISelector(vendor: vendor, product: product, serial: String(parts[2]))
    }
    if body.hasPrefix("i:") {
      let parts = body.dropFirst(2).split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count == 2 || parts.count == 3, let vendor = cNumber(parts[0]),
        let product = cNumber(parts[1])
      else { return nil }
      var index = 0
      if parts.count == 3 {
        guard let number = cNumber(parts[2]) else { return nil }
        index = Int(number)
      }
      return FTDISelector(vendor: vendor, product: product, index: index)
    }
    let parts = body.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count >= 2, let vendor = hexID(parts[0]), let product = hexID(parts[1]) else {
      return nil
    }
    if parts.count == 3 {
      guard !parts[2].isEmpty else { return nil }
      return FTDISelector(vendor: vendor, product: product, serial: String(parts[2]))
    }
    return FTDISelector(vendor: vendor, product: product)
  }

  /// A USB id written as `lsusb` does: hex, with or without `0x`.
  private static func hexID(_ text: Substring) -> UInt16? {
    let digits = text.hasPrefix("0x") || text.hasPrefix("0X") ? text.dropFirst(2) : text
    guard (1...4).contains(digits.count), digits.allSatisfy(\.isHexDigit) else { return nil }
    return UInt16(digits, radix: 16)
  }

  /// A number as libftdi's `strtoul(…, 0)` reads it: `0x` hex, a leading `0` octal, else decimal.
  private static func cNumber(_ text: Substring) -> UInt16? {
    if text.hasPrefix("0x") || text.hasPrefix("0X") {
      return text.count > 2 ? UInt16(text.dropFirst(2), radix: 16) : nil
    }
    if text.count > 1, text.hasPrefix("0") { return UInt16(text.dropFirst(), radix: 8) }
    return UInt16(text, radix: 10)
  }
}

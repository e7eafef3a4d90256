// SPDX-License-Identifier: Apache-2.0

/// How rig drives the pins of an FTDI chip as plain digital outputs. All pins rig uses on one
/// chip (one interface of a multi-channel chip) share one mode.
public enum FTDIPinMode: String, Sendable, Hashable, Codable, CaseIterable {
  /// CBUS bitbang: CBUS0–CBUS3 of an FT232R or FT230X, beside a UART that keeps working. The
  /// pins must be set to "I/O mode" in the chip's EEPROM first (ftdi_eeprom `cbusN=IOMODE`).
  case cbus
  /// Asynchronous bitbang on the 8 data pins: D0–D7 of an FT232R (TXD is D0), ADBUS0–7 of an
  /// FT232H, or xDBUS0–7 of one interface of an FT2232H/FT4232H. The UART is gone meanwhile.
  case bitbang
  /// MPSSE GPIO: ADBUS0–7 as pins 0–7 and ACBUS0–7 as pins 8–15, on an FT232H or on
  /// interface A or B of an FT2232H/FT4232H.
  case mpsse

  /// How many pins the mode addresses.
  public var pinCount: Int {
    switch self {
    case .cbus: 4
    case .bitbang: 8
    case .mpsse: 16
    }
  }

  /// The datasheet name of `pin` on `interface`: `CBUS2`, `ADBUS4`, `BCBUS1`.
  public func pinName(_ pin: Int, interface: FTDISelector.Interface = .any) -> String {
    let letter = interface == .any ? "A" : interface.rawValue
    switch self {
    case .cbus: return "CBUS\(pin)"
    case .bitbang: return "\(letter)DBUS\(pin)"
    case .mpsse: return pin < 8 ? "\(letter)DBUS\(pin)" : "\(letter)CBUS\(pin - 8)"
    }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// One step of driving FTDI pins: a `ftdi_set_bitmode` call or bytes for `ftdi_write_data`.
///
/// The builders here are pure functions of the whole pin state of one chip (direction and level
/// of every pin rig drives), so the bytes sent to the chip are unit-tested exactly and pins of
/// one chip never overwrite each other. Nothing in this file talks to libftdi.
public enum FTDIPinCommand: Sendable, Equatable {
  /// `ftdi_set_bitmode(context, mask, mode)`.
  case setBitmode(mask: UInt8, mode: UInt8)
  /// `ftdi_write_data(context, bytes, count)`.
  case write([UInt8])

  /// libftdi's `BITMODE_RESET`: back to the UART/FIFO function.
  public static let bitmodeReset: UInt8 = 0x00
  /// libftdi's `BITMODE_BITBANG`: asynchronous bitbang on the data pins.
  public static let bitmodeBitbang: UInt8 = 0x01
  /// libftdi's `BITMODE_MPSSE`.
  public static let bitmodeMPSSE: UInt8 = 0x02
  /// libftdi's `BITMODE_CBUS`: bitbang on CBUS0–3.
  public static let bitmodeCBUS: UInt8 = 0x20
  /// MPSSE opcode `SET_BITS_LOW`, followed by the value and direction of ADBUS0–7.
  public static let mpsseSetBitsLow: UInt8 = 0x80
  /// MPSSE opcode `SET_BITS_HIGH`, followed by the value and direction of ACBUS0–7.
  public static let mpsseSetBitsHigh: UInt8 = 0x82

  /// The CBUS bitmode mask: direction of CBUS0–3 in the high nibble (1 = output), their levels
  /// in the low nibble.
  public static func cbusMask(direction: UInt8, value: UInt8) -> UInt8 {
    (direction & 0x0F) << 4 | (value & 0x0F)
  }

  /// `SET_BITS_LOW value direction`: levels and directions (1 = output) of ADBUS0–7.
  public static func mpsseSetBitsLow(value: UInt8, direction: UInt8) -> [UInt8] {
    [mpsseSetBitsLow, value, direction]
  }

  /// `SET_BITS_HIGH value direction`: levels and directions (1 = output) of ACBUS0–7.
  public static func mpsseSetBitsHigh(value: UInt8, direction: UInt8) -> [UInt8] {
    [mpsseSetBitsHigh, value, direction]
  }

  /// Enters `mode` with the pins in `direction` (bit n = pin n, 1 = output) driven to `value`.
  public static func enter(_ mode: FTDIPinMode, direction: UInt16, value: UInt16)
    -> [FTDIPinCommand]
  {
    switch mode {
    case .cbus:
      return [
        .setBitmode(mask: cbusMask(direction: low(direction), value: low(value)), mode: bitmodeCBUS)
      ]
    case .bitbang:
      // Bitbang starts driving the outputs from the chip's latch at once; the write follows
      // within the same USB frame or the next.
      return [.setBitmode(mask: low(direction), mode: bitmodeBitbang), .write([low(value)])]
    case .mpsse:
      // Mask 0: every pin stays an input until SET_BITS gives outputs their levels, so nothing
      // glitches on entry.
      return [
        .setBitmode(mask: 0, mode: bitmodeReset), .setBitmode(mask: 0, mode: bitmodeMPSSE),
        .write(mpsseBytes(direction: direction, value: value)),
      ]
    }
  }

  /// Drives a new pin state in a mode already entered; `previousDirection` is the direction
  /// mask in force, so bitbang re-sends its mask only when a pin became an output.
  public static func update(
    _ mode: FTDIPinMode, direction: UInt16, value: UInt16, previousDirection: UInt16
  ) -> [FTDIPinCommand] {
    switch mode {
    case .cbus:
      return [
        .setBitmode(mask: cbusMask(direction: low(direction), value: low(value)), mode: bitmodeCBUS)
      ]
    case .bitbang:
      guard direction == previousDirection else {
        return [.setBitmode(mask: low(direction), mode: bitmodeBitbang), .write([low(value)])]
      }
      return [.write([low(value)])]
    case .mpsse:
      return [.write(mpsseBytes(direction: direction, value: value))]
    }
  }

  /// SET_BITS_LOW, plus SET_BITS_HIGH when any ACBUS pin is an output.
  private static func mpsseBytes(direction: UInt16, value: UInt16) -> [UInt8] {
    var bytes = mpsseSetBitsLow(value: low(value), direction: low(direction))
    if high(direction) != 0 {
      bytes += mpsseSetBitsHigh(value: high(value), direction: high(direction))
    }
    return bytes
  }

  private static func low(_ bits: UInt16) -> UInt8 { UInt8(truncatingIfNeeded: bits) }
  private static func high(_ bits: UInt16) -> UInt8 { UInt8(truncatingIfNeeded: bits >> 8) }
}

// SPDX-License-Identifier: Apache-2.0
import CFTDI
import Testing

@testable import RigHardware

/// The exact bytes and bitmode calls that drive FTDI pins.
@Suite struct FTDIPinCommandTests {
  @Test("the constants are libftdi's")
  func constants() {
    #expect(FTDIPinCommand.bitmodeReset == UInt8(BITMODE_RESET.rawValue))
    #expect(FTDIPinCommand.bitmodeBitbang == UInt8(BITMODE_BITBANG.rawValue))
    #expect(FTDIPinCommand.bitmodeMPSSE == UInt8(BITMODE_MPSSE.rawValue))
    #expect(FTDIPinCommand.bitmodeCBUS == UInt8(BITMODE_CBUS.rawValue))
    #expect(Int32(FTDIPinCommand.mpsseSetBitsLow) == SET_BITS_LOW)
    #expect(Int32(FTDIPinCommand.mpsseSetBitsHigh) == SET_BITS_HIGH)
  }

  @Test(
    "the CBUS mask has the direction in the high nibble and the levels in the low nibble",
    arguments: [
      (UInt8(0b0101), UInt8(0b0001), UInt8(0x51)), (0x0F, 0x0A, 0xFA), (0x04, 0x00, 0x40),
      (0xFF, 0xF3, 0xF3),
      (0x00, 0x0F, 0x0F),
    ])
  func cbusMask(direction: UInt8, value: UInt8, expected: UInt8) {
    #expect(FTDIPinCommand.cbusMask(direction: direction, value: value) == expected)
  }

  @Test("MPSSE SET_BITS commands are the opcode, the levels, then the directions")
  func mpsseSetBits() {
    #expect(FTDIPinCommand.mpsseSetBitsLow(value: 0x08, direction: 0x0B) == [0x80, 0x08, 0x0B])
    #expect(FTDIPinCommand.mpsseSetBitsHigh(value: 0x01, direction: 0x03) == [0x82, 0x01, 0x03])
  }

  @Test("entering CBUS mode is one bitmode call carrying direction and levels")
  func enterCBUS() {
    #expect(
      FTDIPinCommand.enter(.cbus, direction: 0b0110, value: 0b0100)
        == [.setBitmode(mask: 0x64, mode: 0x20)])
    #expect(
      FTDIPinCommand.update(.cbus, direction: 0b0110, value: 0b0010, previousDirection: 0b0110)
        == [.setBitmode(mask: 0x62, mode: 0x20)])
  }

  @Test("bitbang sets the direction mask, then writes the output byte")
  func bitbang() {
    #expect(
      FTDIPinCommand.enter(.bitbang, direction: 0x90, value: 0x10)
        == [.setBitmode(mask: 0x90, mode: 0x01), .write([0x10])])
    #expect(
      FTDIPinCommand.update(.bitbang, direction: 0x90, value: 0x80, previousDirection: 0x90) == [
        .write([0x80])
      ])
    #expect(
      FTDIPinCommand.update(.bitbang, direction: 0x91, value: 0x81, previousDirection: 0x90)
        == [.setBitmode(mask: 0x91, mode: 0x01), .write([0x81])],
      "a new output pin re-sends the direction mask")
  }

  @Test("MPSSE resets, enters MPSSE with every pin an input, then sets the low byte")
  func enterMPSSE() {
    #expect(
      FTDIPinCommand.enter(.mpsse, direction: 0x0010, value: 0x0010)
        == [
          .setBitmode(mask: 0, mode: 0x00), .setBitmode(mask: 0, mode: 0x02),
          .write([0x80, 0x10, 0x10]),
        ])
  }

  @Test("MPSSE pins 8–15 add SET_BITS_HIGH for ACBUS")
  func mpsseHigh() {
    #expect(
      FTDIPinCommand.update(.mpsse, direction: 0x0210, value: 0x0200, previousDirection: 0x0210)
        == [.write([0x80, 0x00, 0x10, 0x82, 0x02, 0x02])])
  }

  @Test("pins of one chip keep each other's levels")
  func sharedState() {
    var state = FTDIPinState(mode: .bitbang)
    var sent: [[FTDIPinCommand]] = []
    for (pin, level) in [(4, true), (0, false), (2, true)] {
      let next = state.claiming(pin, level: level)
      sent.append(next.commands)
      state = next.state
    }
    let set = state.setting(0, level: true)
    sent.append(set.commands)
    state = set.state
    #expect(
      sent == [
        [.setBitmode(mask: 0x10, mode: 0x01), .write([0x10])],
        [.setBitmode(mask: 0x11, mode: 0x01), .write([0x10])],
        [.setBitmode(mask: 0x15, mode: 0x01), .write([0x14])],
        [.write([0x15])],
      ])
    let released = state.releasing(4)
    #expect(!released.isClaimed(4) && released.isClaimed(0) && released.isClaimed(2))
    #expect(
      released.setting(2, level: false).commands == [.write([0x11])],
      "a released pin keeps its level")
  }

  @Test("a CBUS chip shared by two pins sends both in every mask")
  func sharedCBUS() {
    let first = FTDIPinState(mode: .cbus).claiming(3, level: true)
    let second = first.state.claiming(1, level: false)
    let on = second.state.setting(1, level: true)
    #expect(first.commands == [.setBitmode(mask: 0x88, mode: 0x20)])
    #expect(second.commands == [.setBitmode(mask: 0xA8, mode: 0x20)])
    #expect(on.commands == [.setBitmode(mask: 0xAA, mode: 0x20)])
  }

  @Test("pins have their datasheet names")
  func pinNames() {
    #expect(FTDIPinMode.cbus.pinName(2) == "CBUS2")
    #expect(FTDIPinMode.bitbang.pinName(4) == "ADBUS4")
    #expect(FTDIPinMode.bitbang.pinName(4, interface: .b) == "BDBUS4")
    #expect(FTDIPinMode.mpsse.pinName(7) == "ADBUS7")
    #expect(FTDIPinMode.mpsse.pinName(9) == "ACBUS1")
  }
}

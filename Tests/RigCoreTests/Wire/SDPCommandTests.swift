// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@Suite struct SDPCommandTests {
  @Test("ERROR_STATUS is 05 05 and fourteen zero bytes")
  func errorStatus() {
    #expect(SDPCommand.errorStatus.bytes == FlashCodecSamples.errorStatus)
  }

  @Test("the command types have the documented codes", arguments: [
    (SDPCommand.Kind.readRegister, UInt16(0x0101)), (.writeRegister, 0x0202), (.writeFile, 0x0404),
    (.errorStatus, 0x0505), (.writeCSF, 0x0606), (.dcdWrite, 0x0A0A), (.jumpAddress, 0x0B0B),
    (.skipDCDHeader, 0x0C0C), (.setBaudrate, 0x0D0D),
  ])
  func codes(kind: SDPCommand.Kind, code: UInt16) {
    #expect(kind.rawValue == code)
    #expect(Array(SDPCommand(kind: kind).bytes[0..<2]) == [UInt8(code >> 8), UInt8(code & 0xFF)])
  }

  @Test("WRITE_FILE puts type, address, format, count, data and reserved big-endian at 0, 2, 6, 7, 11, 15")
  func writeFileLayout() {
    let command = SDPCommand.writeFile(address: 0x2000_0000, count: 0x0001_2345)
    #expect(
      command.bytes == [
        0x04, 0x04, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x23, 0x45, 0x00, 0x00, 0x00, 0x00, 0x00,
      ])
  }

  @Test("WRITE_REGISTER carries the access width in the format byte and the value in data")
  func writeRegisterLayout() {
    let command = SDPCommand.writeRegister(address: 0x400F_801C, format: 32, value: 0xCAFE_F00D)
    #expect(
      command.bytes == [
        0x02, 0x02, 0x40, 0x0F, 0x80, 0x1C, 0x20, 0x00, 0x00, 0x00, 0x00, 0xCA, 0xFE, 0xF0, 0x0D, 0x00,
      ])
  }

  @Test("JUMP_ADDRESS names the IVT address")
  func jumpLayout() {
    let command = SDPCommand.jumpAddress(ivt: 0x2000_0400)
    #expect(command.bytes == [0x0B, 0x0B, 0x20, 0x00, 0x04, 0x00] + [UInt8](repeating: 0, count: 10))
    #expect(command.bytes.count == 16)
  }

  @Test("16 bytes decode to the command they encode; unknown types and wrong lengths do not")
  func decode() {
    let command = SDPCommand.readRegister(address: 0x6000_0000, format: 8, count: 64)
    #expect(SDPCommand(bytes: command.bytes) == command)
    #expect(SDPCommand(bytes: [0x07, 0x07] + [UInt8](repeating: 0, count: 14)) == nil)
    #expect(SDPCommand(bytes: command.bytes.dropLast()) == nil)
  }

  @Test("response words are read big-endian and described with their meaning")
  func responseWords() {
    #expect(SDPResponse.word([0x56, 0x78, 0x78, 0x56]) == SDPResponse.habOpen)
    #expect(SDPResponse.word([0x12, 0x34, 0x34, 0x12]) == SDPResponse.habClosed)
    #expect(SDPResponse.bytes(SDPResponse.fileComplete) == [0x88, 0x88, 0x88, 0x88])
    #expect(SDPResponse.bytes(SDPResponse.writeComplete) == [0x12, 0x8A, 0x8A, 0x12])
    #expect(SDPResponse.bytes(SDPResponse.skipDCDOK) == [0x90, 0x0D, 0xD0, 0x09])
    #expect(SDPResponse.bytes(SDPResponse.habSuccess) == [0xF0, 0xF0, 0xF0, 0xF0])
    #expect(SDPResponse.bytes(SDPResponse.baudrateSet) == [0x09, 0xD0, 0x0D, 0x90])
    #expect(SDPResponse.describe(0x5678_7856) == "0x56787856 (HAB open)")
    #expect(SDPResponse.describe(0x3305_0000) == "0x33050000 (HAB failure: invalid IVT)")
  }
}

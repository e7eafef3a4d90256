// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@Suite struct CRC16Tests {
  @Test("CRC-16/XMODEM of \"123456789\" is the catalogue check value 0x31C3")
  func checkValue() {
    #expect(CRC16.xmodem(Array("123456789".utf8)) == 0x31C3)
  }

  @Test("the CRC of nothing is the initial value 0")
  func empty() {
    #expect(CRC16.xmodem([UInt8]()) == 0)
  }

  @Test("a CRC continued from a seed equals the CRC of the whole")
  func continued() {
    let whole = Array("123456789".utf8)
    #expect(CRC16.xmodem(whole[4...], seed: CRC16.xmodem(whole[..<4])) == 0x31C3)
  }

  @Test("the documented frames carry the CRCs the document gives")
  func documentedFrames() {
    // Ping response: CRC over 5A A7 and the 6 version/options bytes.
    let ping = FlashCodecSamples.pingResponse
    #expect(CRC16.xmodem(ping[0..<8]) == 0xEAAA)
    // CMD frame: CRC over 5A A4 len_lo len_hi and the payload, skipping the CRC field.
    let command = FlashCodecSamples.getPropertyCommand
    #expect(CRC16.xmodem(command[0..<4] + command[6...]) == 0x334B)
    let response = FlashCodecSamples.getPropertyResponse
    #expect(CRC16.xmodem(response[0..<4] + response[6...]) == 0x91F7)
  }
}

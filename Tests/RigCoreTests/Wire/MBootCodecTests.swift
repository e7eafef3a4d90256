// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@Suite struct MBootCodecTests {
  @Test("ACK, NAK, ACK-ABORT and PING are 5A and their type byte")
  func shortFrames() {
    #expect(MBootFrame.ack.bytes == [0x5A, 0xA1])
    #expect(MBootFrame.nak.bytes == [0x5A, 0xA2])
    #expect(MBootFrame.ackAbort.bytes == [0x5A, 0xA3])
    #expect(MBootFrame.ping.bytes == FlashCodecSamples.ping)
  }

  @Test("the ping response for P1.2.0 is the documented 10 bytes")
  func pingResponse() {
    let frame = MBootFrame.pingResponse(version: MBootFrame.protocolVersion, options: 0)
    #expect(frame.bytes == FlashCodecSamples.pingResponse)
  }

  @Test("GetProperty(CurrentVersion) encodes to the frame blhost sends")
  func getPropertyCommand() {
    let packet = MBootCommand.getProperty(.currentVersion, memoryID: 0).packet
    #expect(packet.bytes == [0x07, 0x00, 0x00, 0x02, 0x01, 0, 0, 0, 0, 0, 0, 0])
    #expect(MBootFrame.command(packet.bytes).bytes == FlashCodecSamples.getPropertyCommand)
  }

  @Test("the documented GetProperty response decodes to status 0 and K1.5.0")
  func getPropertyResponse() throws {
    var decoder = MBootFrameDecoder()
    let events = decoder.decode(FlashCodecSamples.getPropertyResponse)
    guard case .frame(.command(let payload)) = try #require(events.first) else {
      Issue.record("expected a command frame, got \(events)")
      return
    }
    let response = MBootResponse(packet: try #require(MBootPacket(bytes: payload)))
    #expect(response == .getProperty(status: .success, values: [0x4B01_0500]))
    #expect(MBootProperty.versionText(0x4B01_0500) == "K1.5.0")
    #expect(MBootFrame.command(response.packet.bytes).bytes == FlashCodecSamples.getPropertyResponse)
  }

  @Test("ConfigureMemory sends memory ID then address, as observed on the wire")
  func configureMemory() {
    let packet = MBootCommand.configureMemory(memoryID: 9, address: 0x2000).packet
    #expect(packet.bytes == FlashCodecSamples.configureMemoryPacket)
  }

  @Test("command tags and parameter order follow the command table", arguments: [
    (MBootCommand.flashEraseAll(memoryID: 9), [UInt8(0x01), 0x00, 0x00, 0x01, 9, 0, 0, 0]),
    (.flashEraseRegion(address: 0x6000_0000, count: 0x1_0000, memoryID: 9),
     [0x02, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x60, 0x00, 0x00, 0x01, 0x00, 9, 0, 0, 0]),
    (.readMemory(address: 0x6000_1000, count: 32, memoryID: 0),
     [0x03, 0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x60, 32, 0, 0, 0, 0, 0, 0, 0]),
    (.writeMemory(address: 0x6000_0000, count: 1024, memoryID: 9),
     [0x04, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x60, 0x00, 0x04, 0x00, 0x00, 9, 0, 0, 0]),
    (.fillMemory(address: 0x2000, count: 4, pattern: 0xC000_0007),
     [0x05, 0x00, 0x00, 0x03, 0x00, 0x20, 0, 0, 4, 0, 0, 0, 0x07, 0x00, 0x00, 0xC0]),
    (.getProperty(.externalMemoryAttributes, memoryID: 9),
     [0x07, 0x00, 0x00, 0x02, 0x19, 0, 0, 0, 9, 0, 0, 0]),
    (.execute(address: 0x2000_0401, argument: 0, stackPointer: 0x2000_8000),
     [0x09, 0x00, 0x00, 0x03, 0x01, 0x04, 0x00, 0x20, 0, 0, 0, 0, 0x00, 0x80, 0x00, 0x20]),
    (.reset, [0x0B, 0x00, 0x00, 0x00]),
    (.setProperty(.verifyWrites, value: 1), [0x0C, 0x00, 0x00, 0x02, 0x0A, 0, 0, 0, 1, 0, 0, 0]),
  ])
  func commandLayout(command: MBootCommand, expected: [UInt8]) {
    #expect(command.packet.bytes == expected)
    #expect(MBootCommand(packet: command.packet) == command)
  }

  @Test("WriteMemory sets the data-phase flag; the other commands do not")
  func dataPhaseFlag() {
    #expect(MBootCommand.writeMemory(address: 0, count: 1, memoryID: 0).packet.hasDataPhase)
    #expect(!MBootCommand.readMemory(address: 0, count: 1, memoryID: 0).packet.hasDataPhase)
    #expect(MBootResponse.readMemory(status: .success, count: 8).packet.hasDataPhase)
  }

  @Test("response tags and parameters follow the response table")
  func responses() {
    #expect(
      MBootResponse.generic(status: MBootStatus(10203), command: 0x04).packet.bytes
        == [0xA0, 0x00, 0x00, 0x02, 0xDB, 0x27, 0, 0, 0x04, 0, 0, 0])
    #expect(
      MBootResponse.readMemory(status: .success, count: 256).packet.bytes
        == [0xA3, 0x01, 0x00, 0x02, 0, 0, 0, 0, 0x00, 0x01, 0, 0])
  }

  @Test("a data frame carries length and CRC little-endian before the payload")
  func dataFrame() {
    let frame = MBootFrame.data([0x01, 0x02, 0x03]).bytes
    let crc = CRC16.xmodem([0x5A, 0xA5, 0x03, 0x00, 0x01, 0x02, 0x03])
    #expect(frame == [0x5A, 0xA5, 0x03, 0x00, UInt8(crc & 0xFF), UInt8(crc >> 8), 0x01, 0x02, 0x03])
  }

  @Test("the decoder finds frames in any split, skipping leading junk and zero bytes")
  func decoderSplits() {
    let stream = [0x00, 0x00, 0x13] + FlashCodecSamples.ack + FlashCodecSamples.getPropertyResponse
      + FlashCodecSamples.pingResponse
    for split in [1, 2, 3, 7, stream.count] {
      var decoder = MBootFrameDecoder()
      var events: [MBootFrameDecoder.Event] = []
      var index = 0
      while index < stream.count {
        events += decoder.decode(stream[index..<min(index + split, stream.count)])
        index += split
      }
      #expect(events.count == 3)
      #expect(events.first == .frame(.ack))
      #expect(events.last == .frame(.pingResponse(version: 0x5001_0200, options: 0)))
      #expect(decoder.skipped == 3)
    }
  }

  @Test("a damaged frame is reported as a bad CRC with both values")
  func badCRC() {
    var damaged = FlashCodecSamples.getPropertyResponse
    damaged[15] ^= 0x01
    var decoder = MBootFrameDecoder()
    let events = decoder.decode(damaged + FlashCodecSamples.ack)
    #expect(events.count == 2)
    guard case .badCRC(let type, _, let received) = events[0] else {
      Issue.record("expected a bad CRC, got \(events)")
      return
    }
    #expect(type == .command)
    #expect(received == 0x91F7)
    #expect(events[1] == .frame(.ack))
  }

  @Test("packets with more than 7 parameters or fewer bytes than they claim are refused")
  func packetLimits() {
    #expect(MBootPacket(bytes: [0x07, 0, 0, 8] + [UInt8](repeating: 0, count: 32)) == nil)
    #expect(MBootPacket(bytes: [0x07, 0, 0, 2, 1, 0, 0, 0]) == nil)
    #expect(MBootPacket(bytes: [0x0B, 0, 0, 0]) == MBootCommand.reset.packet)
  }

  @Test("status codes print with the names of NXP's host tools", arguments: [
    (UInt32(0), "0 Success"), (1, "1 Fail"), (10000, "10000 UnknownCommand"),
    (10203, "10203 MemoryCumulativeWrite"), (10205, "10205 MemoryNotConfigured"),
    (10207, "10207 MemoryVerifyFailed"), (10300, "10300 UnknownProperty"),
    (20100, "20100 FLEXSPINORProgramFail"), (20101, "20101 FLEXSPINOREraseSectorFail"),
    (7000, "7000 FLEXSPI_SequenceExecutionTimeout"), (99999, "99999 (unknown status)"),
  ])
  func statusNames(code: UInt32, text: String) {
    #expect(MBootStatus(code).description == text)
  }

  @Test("property tags have the documented values")
  func propertyTags() {
    #expect(MBootProperty.currentVersion.rawValue == 0x01)
    #expect(MBootProperty.flashSize.rawValue == 0x04)
    #expect(MBootProperty.availableCommands.rawValue == 0x07)
    #expect(MBootProperty.maxPacketSize.rawValue == 0x0B)
    #expect(MBootProperty.ramSize.rawValue == 0x0F)
    #expect(MBootProperty.externalMemoryAttributes.rawValue == 0x19)
    #expect(MBootProperty.versionText(0x4B02_0800) == "K2.8.0")
  }
}

// SPDX-License-Identifier: Apache-2.0
import FuzzSupport
import RigCore

@testable import RigSimulator

/// The simulated flashloader, served MBoot frames from the input until it runs out. Invariant:
/// everything it sends is well-framed MBoot (no noise, no bad CRC), whatever the host sent.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFlashloader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  let uart = ScriptedUART(Fuzz.pieces(bytes))
  let settings = SimulatedFlashSettings(sizeBytes: 256 << 10, baud: 0, maxPacketSize: 256)
  let flashloader = Flashloader(
    line: ROMLine(board: uart, epoch: 0, baud: 0), memory: ROMMemory(),
    flash: FlashArray(size: settings.sizeBytes, initial: []), settings: settings,
    faults: ROMFaultState([]))
  _ = try? flashloader.run()
  var decoder = MBootFrameDecoder(maxPayload: 1 << 16)
  for event in decoder.decode(uart.output) {
    if case .badCRC = event { Fuzz.require(false, "the flashloader sent a frame with a bad CRC") }
  }
  Fuzz.require(decoder.skipped == 0, "the flashloader sent \(decoder.skipped) bytes outside frames")
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    func command(_ c: MBootCommand) -> [UInt8] { MBootFrame.command(c.packet.bytes).bytes }
    let ack = MBootFrame.ack.bytes
    let data = MBootFrame.data([UInt8](repeating: 0x5A, count: 16)).bytes
    return [
      MBootFrame.ping.bytes,
      command(.getProperty(.currentVersion, memoryID: 0)) + ack,
      command(.fillMemory(address: 0x2000_2000, count: 4, pattern: 0xC000_0007)) + ack
        + command(.configureMemory(memoryID: 9, address: 0x2000_2000)) + ack,
      command(.flashEraseRegion(address: 0x6000_0000, count: 4096, memoryID: 9)) + ack,
      command(.writeMemory(address: 0x6000_0000, count: 16, memoryID: 9)) + ack + data + ack,
      command(.readMemory(address: 0x6000_0000, count: 16, memoryID: 9)) + ack + ack + ack,
      command(.reset) + ack,
    ]
  }
  return 0
}

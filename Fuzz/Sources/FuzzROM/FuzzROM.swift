// SPDX-License-Identifier: Apache-2.0
import FuzzSupport
import RigCore

@testable import RigSimulator

/// The simulated RT1062 ROM's serial downloader, served SDP commands from the input until it
/// runs out (or a jump starts a flashloader). Invariant: it answers at most what it was asked;
/// memory errors and traps are what libFuzzer and the address sanitizer look for.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzROM(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  let uart = ScriptedUART(Fuzz.pieces(bytes))
  let settings = SimulatedFlashSettings(sizeBytes: 256 << 10, baud: 0)
  var downloader = ROMSerialDownloader(
    line: ROMLine(board: uart, epoch: 0, baud: 0), memory: ROMMemory(), settings: settings,
    faults: ROMFaultState([]))
  _ = try? downloader.run()
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    let image = [UInt8](repeating: 0xA5, count: 64)
    return [
      SDPCommand.errorStatus.bytes,
      SDPCommand.readRegister(address: 0x2000_0000, count: 16).bytes,
      SDPCommand.writeRegister(address: 0x2000_0000, value: 0x1234_5678).bytes,
      SDPCommand.writeFile(address: 0x2000_0000, count: UInt32(image.count)).bytes + image,
      SDPCommand.writeFile(address: 0x2000_0000, count: 64).bytes + image
        + SDPCommand.jumpAddress(ivt: 0x2000_0000).bytes,
    ]
  }
  return 0
}

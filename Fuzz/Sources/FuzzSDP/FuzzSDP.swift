// SPDX-License-Identifier: Apache-2.0
import FuzzSupport
import RigCore

/// SDP commands read from 16 bytes, and the ROM's 4-byte status words. Invariant: a command
/// read from bytes writes back the same bytes (the last, reserved byte as 0).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSDP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  var offset = 0
  while offset + SDPCommand.size <= bytes.count {
    let window = bytes[offset..<offset + SDPCommand.size]
    if let command = SDPCommand(bytes: window) {
      Fuzz.require(
        command.bytes.dropLast() == window.dropLast() && command.bytes.last == 0,
        "\(command) writes \(command.bytes), read from \(Array(window))")
      Fuzz.require(SDPCommand(bytes: command.bytes) == command, "\(command) changes when rewritten")
      _ = command.description
    }
    offset += SDPCommand.size
  }
  if bytes.count >= 4 {
    let word = SDPResponse.word(bytes.prefix(4))
    Fuzz.require(SDPResponse.bytes(word) == Array(bytes.prefix(4)), "status word \(word)")
    _ = SDPResponse.describe(word)
  }
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    [
      SDPCommand.readRegister(address: 0x2000_0000, count: 4).bytes,
      SDPCommand.writeRegister(address: 0x2000_0000, value: 0x1234_5678).bytes,
      SDPCommand.writeFile(address: 0x2000_0000, count: 1024).bytes,
      SDPCommand.jumpAddress(ivt: 0x2000_0400).bytes,
      SDPCommand(kind: .errorStatus).bytes + SDPResponse.bytes(0x8888_8888),
    ]
  }
  return 0
}

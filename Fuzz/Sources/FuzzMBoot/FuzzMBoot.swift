// SPDX-License-Identifier: Apache-2.0
import FuzzSupport
import RigCore

/// The MBoot frame decoder on bytes from a flashloader. Invariants: the same events whether the
/// bytes come at once or in pieces; every frame re-encodes to bytes that decode to exactly that
/// frame; a command read from a packet reads the same from the packet it gives back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMBoot(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  let whole = events([bytes[...]])
  let pieces = events(Fuzz.pieces(bytes))
  Fuzz.require(whole == pieces, "one chunk gave \(whole), pieces gave \(pieces)")
  for case .frame(let frame) in whole {
    var decoder = MBootFrameDecoder()
    let again = decoder.decode(frame.bytes)
    Fuzz.require(again == [.frame(frame)], "\(frame) came back as \(again)")
    if case .command(let payload) = frame, let packet = MBootPacket(bytes: payload) {
      let command = MBootCommand(packet: packet)
      Fuzz.require(
        MBootCommand(packet: command.packet) == command, "\(command) changes through its packet")
      _ = command.description
    }
  }
  return 0
}

private func events(_ pieces: [ArraySlice<UInt8>]) -> [MBootFrameDecoder.Event] {
  var decoder = MBootFrameDecoder()
  var found: [MBootFrameDecoder.Event] = []
  for piece in pieces { found += decoder.decode(piece) }
  return found
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    let commands: [MBootCommand] = [
      .getProperty(.currentVersion, memoryID: 0), .configureMemory(memoryID: 9, address: 0x2000),
      .flashEraseRegion(address: 0x6000_0000, count: 4096, memoryID: 9),
      .writeMemory(address: 0x6000_0000, count: 16, memoryID: 9), .reset,
    ]
    var seeds = commands.map { MBootFrame.command($0.packet.bytes).bytes }
    seeds.append(MBootFrame.data(Array(0..<16)).bytes)
    seeds.append(MBootFrame.ping.bytes + MBootFrame.pingResponse(version: 0x5001_0300, options: 0).bytes)
    seeds.append(MBootFrame.ack.bytes + MBootFrame.nak.bytes + MBootFrame.ackAbort.bytes)
    return seeds
  }
  return 0
}

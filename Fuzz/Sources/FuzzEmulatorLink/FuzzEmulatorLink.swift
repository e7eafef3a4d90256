// SPDX-License-Identifier: Apache-2.0
import FuzzSupport
import RigCore

/// The host's emulator link decoder on bytes from the emulator's port. Invariants: the same
/// messages whether the bytes come at once or in pieces; every message re-encodes to bytes that
/// decode to exactly that message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEmulatorLink(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  let whole = messages([bytes[...]])
  let pieces = messages(Fuzz.pieces(bytes))
  Fuzz.require(whole == pieces, "one chunk gave \(whole), pieces gave \(pieces)")
  for message in whole {
    var decoder = EmulatorLinkDecoder()
    decoder.feed(message.encoded())
    Fuzz.require(decoder.next() == message, "\(message) does not decode from its own encoding")
    Fuzz.require(decoder.next() == nil && !decoder.hasPartial, "bytes left after \(message)")
  }
  return 0
}

private func messages(_ pieces: [ArraySlice<UInt8>]) -> [EmulatorLinkMessage] {
  var decoder = EmulatorLinkDecoder()
  var found: [EmulatorLinkMessage] = []
  for piece in pieces {
    decoder.feed(piece)
    while let message = decoder.next() { found.append(message) }
  }
  return found
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    let requests: [EmulatorLinkRequest] = [
      .hello(maxPayload: 4096), .reset,
      .config(EmulatorLinkConfig(format: .gray8, width: 96, height: 96)),
      .loadBegin(
        slot: 0, format: .gray8, width: 4, height: 2, length: 8, crc: 0x1234_5678, tag: 7),
      .loadData(slot: 0, offset: 0, data: [1, 2, 3, 4, 5, 6, 7, 8][...]),
      .loadEnd(slot: 0, queue: true), .queue(slots: [0, 1]), .status, .events(on: true), .sync,
    ]
    let encoded = requests.enumerated().map { $0.element.encoded(seq: UInt16($0.offset)) }
    return encoded + [encoded.joined().map { $0 }, [0xE7, 0x5A, 0x00] + encoded[0]]
  }
  return 0
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import FuzzSupport
import RigCore

/// Intel HEX firmware images. Invariant: the segments of a file that reads, written out again,
/// read back as the same segments; the flash image made of them never fails in any other way
/// than a refusal.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIntelHex(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  guard let text = String(bytes: bytes, encoding: .ascii),
    let segments = try? IntelHexReader.segments(text, file: "fuzz.hex")
  else { return 0 }
  let overlapping = zip(segments, segments.dropFirst()).contains { $0.end > UInt64($1.address) }
  if !overlapping {
    let again = try? IntelHexReader.segments(IntelHexWriter.text(segments), file: "again.hex")
    Fuzz.require(again == segments, "\(segments) read back as \(String(describing: again))")
  }
  _ = try? FirmwareImageReader.image(
    segments, file: URL(fileURLWithPath: "fuzz.hex"), flashSize: RT1062MemoryMap.defaultFlashSize)
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    [
      Array(IntelHexWriter.text([ImageSegment(address: 0x6000_0000, bytes: Array(0..<40))]).utf8),
      Array(
        IntelHexWriter.text([
          ImageSegment(address: 0x6000_FFF8, bytes: Array(0..<16)),
          ImageSegment(address: 0x6002_0000, bytes: [1, 2, 3]),
        ]).utf8),
      Array(":020000021000EC\n:0400000001020304F2\n:00000001FF\n".utf8),
    ]
  }
  return 0
}

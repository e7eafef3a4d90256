// SPDX-License-Identifier: Apache-2.0
import FuzzSupport
import RigCore

/// PGM frame files. Invariants: a decoded image has width × height pixels, and its canonical
/// encoding decodes to the same image; the header never places the raster past the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPGM(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  if let header = try? PGM.header(bytes) {
    Fuzz.require(header.rasterOffset <= bytes.count, "raster at \(header.rasterOffset)")
  }
  guard let image = try? PGM.decode(bytes) else { return 0 }
  Fuzz.require(image.pixels.count == image.width * image.height, "\(image.width)×\(image.height)")
  let again = try? PGM.decode(PGM.encode(image))
  Fuzz.require(again == image, "the canonical encoding of a \(image.width)×\(image.height) image")
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    [
      PGM.encode(PGM.Image(width: 4, height: 3, pixels: Array(0..<12))),
      Array("P5\n# a comment\n2 2\n15\n".utf8) + [0, 5, 10, 15],
      Array("P5 2 1 65535\n".utf8) + [0xFF, 0x00, 0x12, 0x34],
    ]
  }
  return 0
}

// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite struct PGMTests {
  private func bytes(_ header: String, _ raster: [UInt8]) -> [UInt8] {
    Array(header.utf8) + raster
  }

  @Test("encodes the canonical form and decodes it back unchanged")
  func roundTrip() throws {
    let pixels = (0..<(7 * 5)).map { UInt8(($0 * 37) % 256) }
    let image = PGM.Image(width: 7, height: 5, pixels: pixels)
    let encoded = PGM.encode(image)
    #expect(Array(encoded.prefix(11)) == Array("P5\n7 5\n255\n".utf8))
    #expect(encoded.count == 11 + 35)
    #expect(try PGM.decode(encoded) == image)
  }

  @Test("a 96×96 frame is 9,229 bytes")
  func frameSize() {
    let image = PGM.Image(width: 96, height: 96, pixels: [UInt8](repeating: 9, count: 9216))
    #expect(PGM.encode(image).count == 9229)
  }

  @Test("accepts comments and any whitespace in the header")
  func comments() throws {
    let data = bytes(
      "P5 # made by hand\n# another comment\n3\t2\r\n# before maxval\n255\n",
      [
        1, 2, 3, 4, 5, 6,
      ])
    let image = try PGM.decode(data)
    #expect(image.width == 3 && image.height == 2)
    #expect(image.pixels == [1, 2, 3, 4, 5, 6])
  }

  @Test("raster bytes that look like whitespace or '#' are pixels, not header")
  func rasterIsNotHeader() throws {
    let data = bytes("P5\n2 2\n255\n", [0x23, 0x0A, 0x20, 0x35])
    #expect(try PGM.decode(data).pixels == [0x23, 0x0A, 0x20, 0x35])
  }

  @Test("reduces 16-bit samples, most significant byte first, to 8 bits")
  func sixteenBit() throws {
    let data = bytes("P5\n3 1\n65535\n", [0xFF, 0xFF, 0x80, 0x00, 0x00, 0x10])
    #expect(try PGM.decode(data).pixels == [255, 127, 0])
  }

  @Test("scales samples of a small maxval to 0…255")
  func smallMaxval() throws {
    let data = bytes("P5\n3 1\n15\n", [15, 0, 5])
    #expect(try PGM.decode(data).pixels == [255, 0, 85])
  }

  @Test("ignores images concatenated after the first")
  func concatenated() throws {
    let first = PGM.encode(PGM.Image(width: 2, height: 1, pixels: [7, 8]))
    let second = PGM.encode(PGM.Image(width: 1, height: 1, pixels: [9]))
    #expect(try PGM.decode(first + second).pixels == [7, 8])
  }

  @Test("a truncated raster is an error saying how much is missing")
  func truncated() {
    let data = bytes("P5\n4 4\n255\n", [UInt8](repeating: 1, count: 10))
    #expect(throws: PGM.DecodeError.truncated(expected: 16, found: 10)) {
      try PGM.decode(data)
    }
  }

  @Test("rejects files that are not binary PGM")
  func notPGM() {
    #expect(throws: PGM.DecodeError.notPGM) { try PGM.decode(Array("P2\n1 1\n255\n0".utf8)) }
    #expect(throws: PGM.DecodeError.notPGM) { try PGM.decode([0xFF, 0xD8, 0xFF]) }
  }

  @Test("rejects a header without maxval, with zero size or with maxval above 65535")
  func badHeaders() {
    #expect(throws: PGM.DecodeError.badHeader("maxval missing")) {
      try PGM.decode(Array("P5\n2 2\n".utf8))
    }
    #expect(throws: PGM.DecodeError.badHeader("zero width or height")) {
      try PGM.decode(Array("P5\n0 2\n255\n".utf8))
    }
    #expect(throws: PGM.DecodeError.badHeader("maxval 70000 outside 1…65535")) {
      try PGM.decode(Array("P5\n1 1\n70000\n".utf8) + [0, 0])
    }
  }
}

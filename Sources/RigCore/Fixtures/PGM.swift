// SPDX-License-Identifier: Apache-2.0

/// Netpbm PGM, binary (P5): the canonical gray8 frame file.
///
/// The reader is lenient as the format allows (any whitespace, `#` comments in the header, 8- or
/// 16-bit samples, more images concatenated after the first are ignored); the writer emits the
/// canonical form `P5\n<w> <h>\n255\n` + raster, with no comments.
public enum PGM {
  public struct Image: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// One byte per pixel, row-major. 16-bit files are reduced to their high byte.
    public var pixels: [UInt8]
    public init(width: Int, height: Int, pixels: [UInt8]) {
      self.width = width
      self.height = height
      self.pixels = pixels
    }
  }

  public enum DecodeError: Error, Equatable, CustomStringConvertible {
    case notPGM
    case badHeader(String)
    case truncated(expected: Int, found: Int)

    public var description: String {
      switch self {
      case .notPGM: "not a binary PGM (P5) file"
      case .badHeader(let why): "bad PGM header: \(why)"
      case .truncated(let expected, let found):
        "raster truncated: \(expected) bytes expected, \(found) present"
      }
    }
  }

  public struct Header: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var maxval: Int
    /// Offset of the first raster byte.
    public var rasterOffset: Int
    public var bytesPerSample: Int { maxval < 256 ? 1 : 2 }
    public var rasterBytes: Int { width * height * bytesPerSample }
  }

  /// Parses the header only.
  public static func header(_ data: [UInt8]) throws(DecodeError) -> Header {
    guard data.count >= 2, data[0] == UInt8(ascii: "P"), data[1] == UInt8(ascii: "5") else {
      throw .notPGM
    }
    var i = 2
    func skipSpaceAndComments() {
      while i < data.count {
        let c = data[i]
        if c == UInt8(ascii: "#") {
          while i < data.count && data[i] != 0x0A && data[i] != 0x0D { i += 1 }
        } else if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C {
          i += 1
        } else {
          return
        }
      }
    }
    func number(_ what: String) throws(DecodeError) -> Int {
      skipSpaceAndComments()
      var value = 0
      var digits = 0
      while i < data.count, data[i] >= 0x30, data[i] <= 0x39 {
        value = value * 10 + Int(data[i] - 0x30)
        digits += 1
        i += 1
        if value > 1 << 24 { throw .badHeader("\(what) too large") }
      }
      if digits == 0 { throw .badHeader("\(what) missing") }
      return value
    }
    let width = try number("width")
    let height = try number("height")
    let maxval = try number("maxval")
    guard width > 0, height > 0 else { throw .badHeader("zero width or height") }
    guard maxval >= 1, maxval <= 65535 else { throw .badHeader("maxval \(maxval) outside 1…65535") }
    guard i < data.count else { throw .badHeader("no whitespace after maxval") }
    i += 1  // exactly one whitespace character before the raster
    return Header(width: width, height: height, maxval: maxval, rasterOffset: i)
  }

  /// Decodes the first image of a P5 file.
  public static func decode(_ data: [UInt8]) throws(DecodeError) -> Image {
    let h = try header(data)
    let available = data.count - h.rasterOffset
    guard available >= h.rasterBytes else {
      throw .truncated(expected: h.rasterBytes, found: available)
    }
    if h.bytesPerSample == 1 && h.maxval == 255 {
      return Image(
        width: h.width, height: h.height,
        pixels: Array(data[h.rasterOffset..<(h.rasterOffset + h.rasterBytes)]))
    }
    var pixels = [UInt8](repeating: 0, count: h.width * h.height)
    for p in 0..<pixels.count {
      let sample: Int
      if h.bytesPerSample == 1 {
        sample = Int(data[h.rasterOffset + p])
      } else {
        sample = Int(data[h.rasterOffset + 2 * p]) << 8 | Int(data[h.rasterOffset + 2 * p + 1])
      }
      pixels[p] = UInt8(min(255, sample * 255 / h.maxval))
    }
    return Image(width: h.width, height: h.height, pixels: pixels)
  }

  /// Encodes in the canonical form.
  public static func encode(_ image: Image) -> [UInt8] {
    var out = Array("P5\n\(image.width) \(image.height)\n255\n".utf8)
    out.reserveCapacity(out.count + image.pixels.count)
    out.append(contentsOf: image.pixels)
    return out
  }
}

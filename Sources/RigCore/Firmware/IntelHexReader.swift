// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads Intel HEX (record types 00–05) into segments, checking every record's checksum.
/// Errors name the file and line.
public enum IntelHexReader {
  /// The data records of `text`, merged into runs.
  public static func segments(_ text: String, file: String) throws(RigError) -> [ImageSegment] {
    var segments: [ImageSegment] = []
    var base: UInt32 = 0
    var sawEnd = false
    var lineNumber = 0
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }) {
      lineNumber += 1
      let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
      if line.isEmpty { continue }
      let place = "\(file):\(lineNumber)"
      if sawEnd {
        throw RigError(.configInvalid, "\(place): a record follows the end-of-file record (type 01)")
      }
      guard line.hasPrefix(":") else {
        throw RigError(
          .configInvalid, "\(place): not an Intel HEX record (it must start with ':')",
          cause: nil)
      }
      guard let bytes = hexBytes(line.dropFirst()), bytes.count >= 5 else {
        throw RigError(.configInvalid, "\(place): a record must be an even number of hex digits")
      }
      let count = Int(bytes[0])
      guard bytes.count == count + 5 else {
        throw RigError(
          .configInvalid,
          "\(place): the record says \(count) data bytes but holds \(bytes.count - 5)")
      }
      let sum = bytes.reduce(UInt8(0)) { $0 &+ $1 }
      guard sum == 0 else {
        let expected = UInt8(0) &- bytes.dropLast().reduce(UInt8(0)) { $0 &+ $1 }
        throw RigError(
          .configInvalid,
          "\(place): checksum 0x\(hex2(bytes.last!)) is wrong (expected 0x\(hex2(expected))); "
            + "the file is damaged")
      }
      let offset = UInt32(bytes[1]) << 8 | UInt32(bytes[2])
      let data = Array(bytes[4..<(4 + count)])
      switch bytes[3] {
      case 0x00:
        let (address, overflow) = base.addingReportingOverflow(offset)
        guard !overflow, UInt64(address) + UInt64(count) <= 1 << 32 else {
          throw RigError(.configInvalid, "\(place): data runs past the 4 GiB address space")
        }
        segments.append(ImageSegment(address: address, bytes: data))
      case 0x01:
        sawEnd = true
      case 0x02:
        guard count == 2 else { throw badLength(place, type: "02", want: 2) }
        base = (UInt32(data[0]) << 8 | UInt32(data[1])) << 4
      case 0x04:
        guard count == 2 else { throw badLength(place, type: "04", want: 2) }
        base = (UInt32(data[0]) << 8 | UInt32(data[1])) << 16
      case 0x03, 0x05:
        // Start addresses: the entry point is the IVT's business on an RT1062.
        break
      default:
        throw RigError(
          .configInvalid, "\(place): unknown record type 0x\(hex2(bytes[3])) (Intel HEX has 00–05)")
      }
    }
    if !sawEnd {
      throw RigError(
        .configInvalid, "\(file): no end-of-file record (:00000001FF); the file is cut short")
    }
    return ImageSegment.coalesce(segments)
  }

  private static func badLength(_ place: String, type: String, want: Int) -> RigError {
    RigError(.configInvalid, "\(place): a type \(type) record carries \(want) data bytes")
  }

  private static func hexBytes(_ text: Substring) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(digits.count / 2)
    var i = 0
    while i < digits.count {
      guard let high = nibble(digits[i]), let low = nibble(digits[i + 1]) else { return nil }
      out.append(high << 4 | low)
      i += 2
    }
    return out
  }

  private static func nibble(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: c - 0x30
    case 0x41...0x46: c - 0x41 + 10
    case 0x61...0x66: c - 0x61 + 10
    default: nil
    }
  }
}

func hex2(_ byte: UInt8) -> String {
  let digits = String(byte, radix: 16, uppercase: true)
  return byte < 16 ? "0" + digits : digits
}

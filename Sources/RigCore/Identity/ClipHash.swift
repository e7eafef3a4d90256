// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The content hash of a clip: its frames and its labels, so history can tell whether two runs
/// played the same frames against the same truth.
///
/// It runs before every run, so it must be cheap: each frame file is read once and checksummed
/// with CRC-32 (about a gigabyte a second), and SHA-256 covers only the short summary — the
/// labels, the manifest, and each frame's length and CRC. A changed pixel changes its frame's
/// CRC and so the hash; a renamed clip folder does not.
public enum ClipHash {
  /// What the hash covers changes with this version, so old and new hashes never compare equal
  /// by accident.
  static let version = "rig.clip-hash/1"

  /// `sha256:` and 64 hex digits.
  /// - Throws: `RigError(.configInvalid)` naming the file that cannot be read.
  public static func of(_ clip: Clip) throws -> String {
    var summary = Array((version + "\n").utf8)
    for name in ["clip.yaml", "labels.csv"] {
      summary += Array("\(name)\n".utf8)
      summary += try contents(of: clip.directory.appendingPathComponent(name))
    }
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    for index in 0..<clip.frameCount {
      let (length, crc) = try checksum(clip.frameURL(index), buffer: &buffer)
      summary += Array("\(index) \(length) \(crc)\n".utf8)
    }
    return "sha256:" + SHA256.hex(summary)
  }

  private static func contents(of url: URL) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw RigError(.configInvalid, "\(url.displayPath): cannot read it to hash the clip")
    }
    return [UInt8](data)
  }

  /// Length and CRC-32 of a file, read in blocks into `buffer`.
  private static func checksum(_ url: URL, buffer: inout [UInt8]) throws -> (Int, UInt32) {
    guard let handle = FileHandle(forReadingAtPath: url.path) else {
      throw RigError(.configInvalid, "\(url.displayPath): cannot read it to hash the clip")
    }
    defer { try? handle.close() }
    var crc = CRC32.Running()
    var length = 0
    let fd = handle.fileDescriptor
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n >= 0 else {
        throw RigError(.configInvalid, "\(url.displayPath): read failed (errno \(errno)) while hashing the clip")
      }
      if n == 0 { break }
      buffer.withUnsafeBytes { crc.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
      length += n
    }
    return (length, crc.value)
  }
}

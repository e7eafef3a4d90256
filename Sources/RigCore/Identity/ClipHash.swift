// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The content hash of a clip: its frames and its labels, so history can tell whether two runs
/// played the same frames against the same truth.
///
/// It runs before every run, so it must be cheap: each frame file is read once and hashed with a
/// fast 64-bit word hash (several gigabytes a second; accidental changes, not attacks, are what it
/// must see), and SHA-256 covers only the short summary — the labels, the manifest, and each
/// frame's length and word hash. A changed pixel changes its frame's hash and so the clip's; a
/// renamed clip folder does not.
public enum ClipHash {
  /// What the hash covers changes with this version, so old and new hashes never compare equal
  /// by accident.
  static let version = "rig.clip-hash/2"

  /// `sha256:` and 64 hex digits.
  /// - Throws: `RigError(.configInvalid)` naming the file that cannot be read.
  public static func of(_ clip: Clip) throws -> String {
    var summary = Array((version + "\n").utf8)
    for name in ["clip.yaml", "labels.csv"] {
      summary += Array("\(name)\n".utf8)
      summary += try contents(of: clip.directory.appendingPathComponent(name))
    }
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    // Frames are opened relative to the clip folder: the kernel walks two path components per
    // frame, not the whole path, and no URL is built per frame.
    let folder = open(clip.directory.path, O_RDONLY | O_DIRECTORY)
    guard folder >= 0 else {
      throw RigError(.configInvalid, "\(clip.directory.displayPath): cannot open the clip folder to hash it")
    }
    defer { close(folder) }
    for index in 0..<clip.frameCount {
      let relative = clip.manifest.framePath(index)
      let (length, hash) = try checksum(relative, in: folder, clip: clip, buffer: &buffer)
      withUnsafeBytes(of: UInt64(length).littleEndian) { summary += $0 }
      withUnsafeBytes(of: hash.littleEndian) { summary += $0 }
    }
    return "sha256:" + SHA256.hex(summary)
  }

  private static func contents(of url: URL) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw RigError(.configInvalid, "\(url.displayPath): cannot read it to hash the clip")
    }
    return [UInt8](data)
  }

  /// Length and word hash of a frame file, read in blocks into `buffer` (plain POSIX calls: for
  /// 100,000 frames, FileHandle's and URL's own costs would be most of the time).
  private static func checksum(
    _ relative: String, in folder: Int32, clip: Clip, buffer: inout [UInt8]
  ) throws -> (Int, UInt64) {
    let fd = openat(folder, relative, O_RDONLY)
    guard fd >= 0 else {
      throw RigError(
        .configInvalid,
        "\(clip.directory.appendingPathComponent(relative).displayPath): cannot read it to hash the clip (errno \(errno))")
    }
    defer { close(fd) }
    var hash = WordHash()
    var length = 0
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n >= 0 else {
        throw RigError(
          .configInvalid,
          "\(clip.directory.appendingPathComponent(relative).displayPath): read failed (errno \(errno)) "
            + "while hashing the clip")
      }
      if n == 0 { break }
      buffer.withUnsafeBytes { hash.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
      length += n
    }
    return (length, hash.value)
  }
}

/// A 64-bit hash over 8-byte words in four independent lanes (multiply and rotate, as xxHash
/// does), so the processor works on four words at once: fast enough to read every frame of a clip
/// before each run, and a changed byte changes it.
struct WordHash {
  private var lanes: (UInt64, UInt64, UInt64, UInt64) = (
    0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9, 0x85EB_CA77_C2B2_AE63
  )
  private var length: UInt64 = 0
  /// Bytes of an update that did not fill a 32-byte stripe, carried to the next.
  private var tail: [UInt8] = []

  mutating func update(_ bytes: UnsafeRawBufferPointer) {
    length &+= UInt64(bytes.count)
    var offset = 0
    if !tail.isEmpty {
      while tail.count < 32 && offset < bytes.count {
        tail.append(bytes[offset])
        offset += 1
      }
      guard tail.count == 32 else { return }
      tail.withUnsafeBytes { stripe($0, at: 0) }
      tail.removeAll(keepingCapacity: true)
    }
    while offset + 32 <= bytes.count {
      stripe(bytes, at: offset)
      offset += 32
    }
    tail.append(contentsOf: bytes[offset...])
  }

  private mutating func stripe(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
    lanes.0 = Self.round(lanes.0, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    lanes.1 = Self.round(lanes.1, bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
    lanes.2 = Self.round(lanes.2, bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
    lanes.3 = Self.round(lanes.3, bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
  }

  private static func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
    let mixed = lane &+ word &* 0xC2B2_AE3D_27D4_EB4F
    return ((mixed << 31) | (mixed >> 33)) &* 0x9E37_79B1_85EB_CA87
  }

  var value: UInt64 {
    var h = lanes.0 ^ (lanes.1 &* 3) ^ (lanes.2 &* 5) ^ (lanes.3 &* 7)
    for byte in tail { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
    h ^= length
    h ^= h >> 33
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h = h &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    return h
  }
}

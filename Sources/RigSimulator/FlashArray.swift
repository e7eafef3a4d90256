// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// The virtual board's FlexSPI NOR: erase sets 4 KiB sectors to 0xFF, programming can only clear
/// bits (writing a byte that needs a 0 → 1 change is refused, as the flashloader does), and
/// every change goes straight to the backing file, so the contents survive power cycles and runs.
///
/// A fresh flash (no file yet) holds the factory image. Used by the board's thread and by
/// `rig sim rom`; a lock makes the occasional read from another thread (tests) safe.
public final class FlashArray: @unchecked Sendable {
  // @unchecked: `bytes`, `generation` and the file descriptor are only touched with `lock` held.
  public let size: Int
  public let sectorSize = RT1062MemoryMap.sectorSize
  /// The file the contents persist in, if any.
  public let file: URL?
  private var bytes: [UInt8]
  private var fd: Int32 = -1
  private let lock = NSLock()
  /// Bumped by every change, so a hash of the contents can be cached.
  private var generation: UInt64 = 0
  private var cachedHash: (generation: UInt64, start: Int, count: Int, hash: String)?

  /// A flash that lives in memory only, holding `initial` from its start (the rest erased).
  public init(size: Int, initial: [UInt8]) {
    self.size = size
    self.file = nil
    bytes = [UInt8](repeating: 0xFF, count: size)
    bytes.replaceSubrange(0..<min(size, initial.count), with: initial.prefix(size))
  }

  /// A flash persisted in `file`: opened if it exists (it must be `size` bytes), otherwise
  /// created holding `initial`.
  public init(size: Int, file: URL, initial: [UInt8]) throws {
    self.size = size
    self.file = file
    let path = file.path
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    if FileManager.default.fileExists(atPath: path) {
      let data = try Data(contentsOf: file)
      guard data.count == size else {
        throw RigError(
          .configInvalid,
          "\(path): the simulated flash file holds \(data.count) bytes but the rig's flash is "
            + "\(size); delete the file (the board starts with its factory image) or set "
            + "simulated.flash.size to \(data.count)")
      }
      bytes = [UInt8](data)
    } else {
      bytes = [UInt8](repeating: 0xFF, count: size)
      bytes.replaceSubrange(0..<min(size, initial.count), with: initial.prefix(size))
      try Data(bytes).write(to: file, options: .atomic)
    }
    fd = open(path, O_RDWR | O_CLOEXEC)
    guard fd >= 0 else {
      throw RigError(
        .hardwareUnavailable, "cannot open the simulated flash file \(path): \(String(cString: strerror(errno)))")
    }
  }

  deinit {
    if fd >= 0 { close(fd) }
  }

  /// Why a program or erase was refused.
  enum Refusal: Error, Equatable {
    /// Outside the flash.
    case range
    /// Not aligned to a sector.
    case alignment
    /// A byte needed a 0 → 1 change: the location was not erased.
    case cumulativeWrite(offset: Int)
  }

  /// `count` bytes from `offset` (bytes past the end read as 0xFF).
  public func read(offset: Int, count: Int) -> [UInt8] {
    lock.withLock {
      guard offset >= 0, count > 0, offset < size else { return [UInt8](repeating: 0xFF, count: max(count, 0)) }
      let end = min(size, offset + count)
      return Array(bytes[offset..<end]) + [UInt8](repeating: 0xFF, count: offset + count - end)
    }
  }

  /// Erases whole sectors covering exactly `[offset, offset + count)`.
  func erase(offset: Int, count: Int) throws(Refusal) {
    guard offset >= 0, count >= 0, offset + count <= size else { throw .range }
    guard offset % sectorSize == 0, count % sectorSize == 0 else { throw .alignment }
    lock.withLock {
      bytes.replaceSubrange(offset..<offset + count, with: repeatElement(0xFF, count: count))
      persist(offset, count)
    }
  }

  /// Programs `data` at `offset`; refused, with nothing written, if any byte was not erased
  /// enough for it.
  func program(offset: Int, _ data: [UInt8]) throws(Refusal) {
    guard offset >= 0, offset + data.count <= size else { throw .range }
    let refusal: Refusal? = lock.withLock {
      for (i, byte) in data.enumerated() where bytes[offset + i] & byte != byte {
        return .cumulativeWrite(offset: offset + i)
      }
      bytes.replaceSubrange(offset..<offset + data.count, with: data)
      persist(offset, data.count)
      return nil
    }
    if let refusal { throw refusal }
  }

  /// Whether `[offset, offset + count)` is all 0xFF.
  func isErased(offset: Int, count: Int) -> Bool {
    lock.withLock { bytes[offset..<min(size, offset + count)].allSatisfy { $0 == 0xFF } }
  }

  /// SHA-256 of `count` bytes from `offset`, cached until the flash changes.
  func hash(offset: Int, count: Int) -> String {
    lock.withLock {
      if let cached = cachedHash, cached.generation == generation, cached.start == offset,
        cached.count == count
      {
        return cached.hash
      }
      let hash = SHA256.hex(bytes[offset..<offset + count])
      cachedHash = (generation, offset, count, hash)
      return hash
    }
  }

  /// Writes a changed range to the file (lock held).
  private func persist(_ offset: Int, _ count: Int) {
    generation &+= 1
    guard fd >= 0, count > 0 else { return }
    _ = bytes.withUnsafeBytes { raw in pwrite(fd, raw.baseAddress! + offset, count, off_t(offset)) }
  }
}

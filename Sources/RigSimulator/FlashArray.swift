// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

#if canImport(Glibc)
  import Glibc
#endif

/// The virtual board's FlexSPI NOR: erase sets 4 KiB sectors to 0xFF, programming can only clear
/// bits (writing a byte that needs a 0 → 1 change is refused, as the flashloader does), and
/// every change goes straight to the backing file, so the contents survive power cycles and runs.
///
/// A fresh flash (no file yet) holds the factory image. Only sectors that are not erased are
/// held in memory: an 8 MiB NOR holding a 32 KiB image costs 32 KiB, not 8 MiB. Used by the
/// board's thread and by `rig sim rom`; a lock makes the occasional read from another thread
/// (tests) safe.
public final class FlashArray: @unchecked Sendable {
  // @unchecked: `sectors`, `generation` and the file descriptor are only touched with `lock` held.
  public let size: Int
  public let sectorSize = RT1062MemoryMap.sectorSize
  /// The file the contents persist in, if any.
  public let file: URL?
  /// Sectors holding anything but 0xFF, by sector number; every other sector is erased.
  private var sectors: [Int: [UInt8]] = [:]
  private var fd: Int32 = -1
  private let lock = NSLock()
  /// Bumped by every change, so a hash of the contents can be cached.
  private var generation: UInt64 = 0
  private var cachedHash: (generation: UInt64, start: Int, count: Int, hash: String)?

  /// A flash that lives in memory only, holding `initial` from its start (the rest erased).
  public init(size: Int, initial: [UInt8]) {
    self.size = size
    self.file = nil
    store(initial.prefix(size), at: 0)
  }

  /// A flash persisted in `file`: opened if it exists (it must be `size` bytes), otherwise
  /// created holding `initial`.
  public init(size: Int, file: URL, initial: [UInt8]) throws {
    self.size = size
    self.file = file
    let path = file.path
    do {
      try Folders.make(file.deletingLastPathComponent().path)
    } catch {
      throw RigError(.hardwareUnavailable, "cannot create the simulated flash's folder", cause: error)
    }
    let exists = FileManager.default.fileExists(atPath: path)
    if exists {
      let data = try Data(contentsOf: file)
      guard data.count == size else {
        throw RigError(
          .configInvalid,
          "\(path): the simulated flash file holds \(data.count) bytes but the rig's flash is "
            + "\(size); delete the file (the board starts with its factory image) or set "
            + "simulated.flash.size to \(data.count)")
      }
      store([UInt8](data)[...], at: 0)
    } else {
      store(initial.prefix(size), at: 0)
      var image = [UInt8](repeating: 0xFF, count: size)
      for (number, sector) in sectors { image.replaceSubrange(number * sectorSize..<(number + 1) * sectorSize, with: sector) }
      do {
        try AtomicFile.write(image, to: path)
      } catch {
        throw RigError(.hardwareUnavailable, "cannot create the simulated flash file", cause: error)
      }
    }
    fd = open(path, O_RDWR | O_CLOEXEC)
    guard fd >= 0 else {
      throw RigError(
        .hardwareUnavailable, "cannot open the simulated flash file",
        cause: SystemError.last("open", path))
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
    lock.withLock { contents(offset: offset, count: count) }
  }

  /// Erases whole sectors covering exactly `[offset, offset + count)`.
  func erase(offset: Int, count: Int) throws(Refusal) {
    guard offset >= 0, count >= 0, offset + count <= size else { throw .range }
    guard offset % sectorSize == 0, count % sectorSize == 0 else { throw .alignment }
    lock.withLock {
      for number in offset / sectorSize..<(offset + count) / sectorSize { sectors[number] = nil }
      persist(offset, count)
    }
  }

  /// Programs `data` at `offset`; refused, with nothing written, if any byte was not erased
  /// enough for it.
  func program(offset: Int, _ data: [UInt8]) throws(Refusal) {
    guard offset >= 0, offset + data.count <= size else { throw .range }
    let refusal: Refusal? = lock.withLock {
      let current = contents(offset: offset, count: data.count)
      for (i, byte) in data.enumerated() where current[i] & byte != byte {
        return .cumulativeWrite(offset: offset + i)
      }
      store(data[...], at: offset)
      persist(offset, data.count)
      return nil
    }
    if let refusal { throw refusal }
  }

  /// SHA-256 of `count` bytes from `offset`, cached until the flash changes.
  func hash(offset: Int, count: Int) -> String {
    lock.withLock {
      if let cached = cachedHash, cached.generation == generation, cached.start == offset,
        cached.count == count
      {
        return cached.hash
      }
      let hash = SHA256.hex(contents(offset: offset, count: count))
      cachedHash = (generation, offset, count, hash)
      return hash
    }
  }

  /// The bytes of `[offset, offset + count)`, 0xFF where erased or past the end (lock held).
  private func contents(offset: Int, count: Int) -> [UInt8] {
    guard count > 0 else { return [] }
    var out = [UInt8](repeating: 0xFF, count: count)
    guard offset < size else { return out }
    let end = min(size, offset + count)
    var position = max(offset, 0)
    while position < end {
      let number = position / sectorSize
      let sectorEnd = min((number + 1) * sectorSize, end)
      if let sector = sectors[number] {
        let from = position - number * sectorSize
        out.replaceSubrange(
          (position - offset)..<(sectorEnd - offset), with: sector[from..<from + (sectorEnd - position)])
      }
      position = sectorEnd
    }
    return out
  }

  /// Writes `data` at `offset` into the sectors, dropping sectors left all erased (lock held,
  /// or during init).
  private func store(_ data: ArraySlice<UInt8>, at offset: Int) {
    var position = offset
    var index = data.startIndex
    while index < data.endIndex {
      let number = position / sectorSize
      let from = position - number * sectorSize
      let n = min(sectorSize - from, data.endIndex - index)
      var sector = sectors[number] ?? [UInt8](repeating: 0xFF, count: sectorSize)
      sector.replaceSubrange(from..<from + n, with: data[index..<index + n])
      sectors[number] = sector.allSatisfy { $0 == 0xFF } ? nil : sector
      position += n
      index += n
    }
  }

  /// Writes a changed range to the file (lock held).
  private func persist(_ offset: Int, _ count: Int) {
    generation &+= 1
    guard fd >= 0, count > 0 else { return }
    let bytes = contents(offset: offset, count: count)
    _ = bytes.withUnsafeBytes { raw in pwrite(fd, raw.baseAddress!, count, off_t(offset)) }
  }
}

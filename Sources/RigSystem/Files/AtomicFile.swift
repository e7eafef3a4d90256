// SPDX-License-Identifier: Apache-2.0
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// Replaces a file in one step: the bytes go to a temporary file in the same folder, which is
/// flushed to disk and then renamed over the old one, so a reader never sees half a file and a
/// failure (a full disk) leaves the previous file as it was.
public enum AtomicFile {
  /// Writes `bytes` to `path`.
  /// - Throws: `SystemError` for the step that failed; the temporary file is removed.
  public static func write(_ bytes: [UInt8], to path: String) throws(SystemError) {
    let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
      .joined(separator: "/")
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let temp = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw SystemError.last("open", temp) }
    do throws(SystemError) {
      try writeAll(bytes, to: fd, path: temp)
      guard fsync(fd) == 0 else { throw SystemError.last("fsync", temp) }
      guard Glibc.close(fd) == 0 else { throw SystemError.last("close", temp) }
    } catch {
      Glibc.close(fd)
      unlink(temp)
      throw error
    }
    // rename(2) replaces the old file atomically: readers see the old file or the new one.
    guard rename(temp, path) == 0 else {
      let error = SystemError.last("rename", path)
      unlink(temp)
      throw error
    }
    syncFolder(folder.isEmpty ? "." : folder)
  }

  private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(SystemError) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        throw SystemError.last("write", path)
      }
      offset += n
    }
  }

  /// Flushes the folder itself so the rename survives a power cut; best effort.
  private static func syncFolder(_ folder: String) {
    let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    Glibc.close(fd)
  }
}

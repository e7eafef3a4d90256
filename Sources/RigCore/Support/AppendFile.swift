// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A file written by appending bytes through its descriptor, nothing buffered or kept in between.
///
/// Console logs, per-frame CSVs and the event log are written a line or a chunk at a time for
/// the whole run. Foundation's `FileHandle.write(contentsOf:)` on Linux keeps every buffer it was
/// given alive until the handle goes away, so a 100,000-frame run would hold its whole console in
/// memory; plain `write(2)` keeps nothing.
public final class AppendFile {
  public let url: URL
  private var fd: Int32

  /// Opens `url` for appending; `truncate` starts it empty, otherwise writes go after what is there.
  public init(url: URL, truncate: Bool) throws {
    self.url = url
    let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0)
    fd = open(url.path, flags, 0o644)
    guard fd >= 0 else {
      throw RigError(
        .hardwareFault,
        "cannot open \(url.displayPath) for writing: \(String(cString: strerror(errno))) "
          + "(does its folder exist and is it writable?)")
    }
  }

  deinit {
    if fd >= 0 { Foundation.close(fd) }
  }

  /// Writes all of `bytes`, in one `write(2)` unless the kernel takes less.
  public func append(_ bytes: some ContiguousBytes) throws {
    guard fd >= 0 else {
      throw RigError(.internal, "\(url.displayPath) was written after it was closed")
    }
    try bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          throw RigError(
            .hardwareFault,
            "cannot write to \(url.displayPath): \(String(cString: strerror(errno))) (is the disk full?)")
        }
        offset += n
      }
    }
  }

  /// Flushes what was written to the disk itself.
  public func synchronize() throws {
    guard fd >= 0, fsync(fd) == 0 else {
      throw RigError(.hardwareFault, "cannot flush \(url.displayPath) to disk: \(String(cString: strerror(errno)))")
    }
  }

  public func close() {
    if fd >= 0 { Foundation.close(fd) }
    fd = -1
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// A file written by appending bytes through its descriptor, nothing buffered or kept in between:
/// console logs, per-frame CSVs and the event log, a line or a chunk at a time for the whole run.
///
/// Foundation's `FileHandle.write(contentsOf:)` on Linux keeps every buffer it was given alive
/// until the handle goes away, so a 100,000-frame run would hold its whole console in memory;
/// plain `write(2)` keeps nothing, and what it wrote survives a `kill -9` of rig.
///
/// The first failed write (a full disk, a file-size limit) is reported to `onFailure` with how
/// many bytes made it; nothing more is written after it, so the file ends where it was cut.
public final class AppendFile: ArtifactLog {
  public let path: String
  /// The file as messages name it.
  public let displayPath: String
  private var fd: Int32
  private var written = 0
  private var failure: RigError?
  private let onFailure: (ArtifactFailure) -> Void

  /// Opens `fullPath` for appending; `truncate` starts it empty, otherwise writes go after what is
  /// there. `path` is its name in the run folder, `displayPath` the one messages show.
  public init(
    path: String, fullPath: String, displayPath: String, truncate: Bool,
    onFailure: @escaping (ArtifactFailure) -> Void = { _ in }
  ) throws {
    self.path = path
    self.displayPath = displayPath
    self.onFailure = onFailure
    let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0)
    fd = open(fullPath, flags, 0o644)
    guard fd >= 0 else {
      let error = SystemError.last("open", displayPath)
      onFailure(ArtifactFailure(path: path, kind: .notWritten, reason: error.reason))
      throw RigError(
        .hardwareFault,
        "cannot open \(displayPath) for writing: \(error.reason) "
          + "(does its folder exist and is it writable?)")
    }
    if !truncate { written = Int(lseek(fd, 0, SEEK_END)) }
  }

  deinit {
    if fd >= 0 { Glibc.close(fd) }
  }

  /// Writes all of `bytes`, in one `write(2)` unless the kernel takes less.
  public func append(_ bytes: UnsafeRawBufferPointer) throws {
    if let failure { throw failure }
    guard fd >= 0 else {
      throw RigError(.internal, "\(displayPath) was written after it was closed")
    }
    var offset = 0
    while offset < bytes.count {
      let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if n < 0 {
        let error = SystemError.last("write", displayPath)
        if error.code == EINTR { continue }
        throw fail(error)
      }
      offset += n
      written += n
    }
  }

  /// Flushes what was written to the disk itself.
  public func synchronize() throws {
    if let failure { throw failure }
    guard fd >= 0, fsync(fd) == 0 else {
      throw RigError(
        .hardwareFault, "cannot flush \(displayPath) to disk", cause: SystemError.last("fsync", displayPath))
    }
  }

  public func close() {
    if fd >= 0 { Glibc.close(fd) }
    fd = -1
  }

  private func fail(_ error: SystemError) -> RigError {
    let rig = RigError(
      .hardwareFault,
      "cannot write to \(displayPath): \(error.reason) after \(written) bytes "
        + "(is the disk full, or a file-size limit set?)")
    failure = rig
    onFailure(ArtifactFailure(path: path, kind: .truncated(afterBytes: written), reason: error.reason))
    return rig
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// `FileAccess` on this machine's file systems, with `stat`, `open` and `read`: how RigCore's
/// configuration loaders, clip checks, frame reading and image readers reach the disk.
///
/// `FileManager.attributesOfItem` answers the same questions, but it also resolves the owner and
/// group names of every file, which makes it about ten times slower than the `stat` call
/// underneath; for 10,000 frames that is the difference between 25 ms and 250 ms of
/// `rig validate`. Whether a file may be read is worked out from its mode bits and this process's
/// user and groups (no extra system call per frame), and confirmed with `faccessat` only when
/// the bits say no, since an access control list may still allow it.
public struct LocalFileAccess: FileAccess {
  public init() {}

  public func kind(of path: String) -> FileKind {
    var status = stat()
    guard stat(path, &status) == 0 else { return Self.kind(statError: errno) }
    return Self.kind(of: status) { faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) == 0 }
  }

  public func read(_ path: String, limit: Int) throws(FileReadFailure) -> [UInt8] {
    try Self.read(path, limit: limit, refuseLarger: true)
  }

  public func readPrefix(_ path: String, count: Int) throws(FileReadFailure) -> [UInt8] {
    try Self.read(path, limit: count, refuseLarger: false)
  }

  public func folder(_ path: String) -> Result<any FolderAccess, FileReadFailure> {
    let descriptor = open(path, Self.searchOnly | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = errno
      return .failure(code == ENOTDIR ? .failed("not a folder") : Self.failure(errno: code))
    }
    return .success(Folder(descriptor: descriptor))
  }

  /// Linux's `O_PATH` (which Glibc's module leaves out): looking at the files in a folder needs
  /// only the right to search it, not to list it.
  #if os(Linux)
    private static let searchOnly: Int32 = 0o10_000_000
  #else
    private static let searchOnly: Int32 = O_RDONLY
  #endif

  /// An open folder whose files are probed by relative path, so the kernel walks two path
  /// components per frame rather than the whole absolute path (half the cost of a clip check).
  final class Folder: FolderAccess {
    private let descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    func kind(of relativePath: String) -> FileKind {
      var status = stat()
      guard fstatat(descriptor, relativePath, &status, 0) == 0 else {
        return LocalFileAccess.kind(statError: errno)
      }
      return LocalFileAccess.kind(of: status) {
        faccessat(descriptor, relativePath, R_OK, AT_EACCESS) == 0
      }
    }
  }

  // MARK: Reading

  private static func read(_ path: String, limit: Int, refuseLarger: Bool)
    throws(FileReadFailure) -> [UInt8]
  {
    // Looked at before opening: opening a device can have effects (a serial port's DTR line).
    switch LocalFileAccess().kind(of: path) {
    case .missing: throw .missing
    case .directory: throw .directory
    case .special(let what): throw .special(what)
    case .inaccessible: throw .permissionDenied
    case .file(let size, _):
      if refuseLarger && size > limit { throw .tooLarge(size: size, limit: limit) }
    }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
    guard descriptor >= 0 else { throw failure(errno: errno) }
    defer { close(descriptor) }
    // The file may have been replaced since it was looked at.
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw failure(errno: errno) }
    if case .special(let what) = kind(of: status, mayRead: { true }) { throw .special(what) }

    // One byte more than allowed tells a file that grew past the limit from one that fits.
    let want = refuseLarger ? limit + 1 : limit
    var bytes = [UInt8](repeating: 0, count: min(want, Int(status.st_size) + 1))
    var filled = 0
    while filled < want {
      if filled == bytes.count {
        bytes.append(contentsOf: repeatElement(0, count: min(want - filled, 1 << 20)))
      }
      let n = bytes.withUnsafeMutableBytes { buffer in
        Foundation.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw failure(errno: errno)
      }
      if n == 0 { break }
      filled += n
    }
    if refuseLarger && filled > limit { throw .tooLarge(size: nil, limit: limit) }
    bytes.removeSubrange(filled...)
    return bytes
  }

  // MARK: Kinds and errors

  static func kind(of status: stat, mayRead: () -> Bool) -> FileKind {
    switch status.st_mode & S_IFMT {
    case S_IFDIR: return .directory
    case S_IFREG:
      let readable = Credentials.current.mayRead(status) || mayRead()
      return .file(size: Int(status.st_size), readable: readable)
    case S_IFCHR: return .special("a character device")
    case S_IFBLK: return .special("a block device")
    case S_IFIFO: return .special("a FIFO")
    case S_IFSOCK: return .special("a socket")
    default: return .special("not a regular file")
    }
  }

  static func kind(statError code: Int32) -> FileKind {
    switch code {
    case ENOENT, ENOTDIR: .missing
    case EACCES, EPERM: .inaccessible("permission denied")
    default: .inaccessible(errnoText(code))
    }
  }

  static func failure(errno code: Int32) -> FileReadFailure {
    switch code {
    case ENOENT, ENOTDIR: .missing
    case EISDIR: .directory
    case EACCES, EPERM: .permissionDenied
    default: .failed(errnoText(code))
    }
  }

  /// The errno sentence with a lowercase first letter, to follow a colon in a message.
  static func errnoText(_ code: Int32) -> String {
    let text = ErrorText.posix(code)
    return text.prefix(1).lowercased() + text.dropFirst()
  }

  /// This process's user and groups, for reading permission bits.
  struct Credentials {
    var user: uid_t
    var group: gid_t
    var groups: Set<gid_t>

    static let current: Credentials = {
      var groups = [gid_t](repeating: 0, count: Int(max(0, getgroups(0, nil))))
      let n = getgroups(Int32(groups.count), &groups)
      return Credentials(
        user: geteuid(), group: getegid(), groups: Set(groups.prefix(Int(max(0, n)))))
    }()

    /// What the mode bits allow; the superuser may read any file.
    func mayRead(_ status: stat) -> Bool {
      if user == 0 { return true }
      let mode = status.st_mode
      if status.st_uid == user { return mode & S_IRUSR != 0 }
      if status.st_gid == group || groups.contains(status.st_gid) { return mode & S_IRGRP != 0 }
      return mode & S_IROTH != 0
    }
  }
}

// SPDX-License-Identifier: Apache-2.0

/// How rig looks at and reads the files users hand it: suites, rig files, clips, labels, frames,
/// firmware images, MOT ground truth.
///
/// Every read is bounded: the caller says how many bytes the file may hold, and a bigger file
/// (or one that never ends, such as `/dev/zero`) is refused before it is read, not after memory
/// ran out. Anything that is not a regular file is refused too: a folder, a device, a FIFO.
public protocol FileAccess: Sendable {
  /// What is at `path`, following symbolic links.
  func kind(of path: String) -> FileKind

  /// The whole file at `path`, refused with `FileReadFailure.tooLarge` when it holds more than
  /// `limit` bytes.
  func read(_ path: String, limit: Int) throws(FileReadFailure) -> [UInt8]

  /// At most the first `count` bytes of the file at `path` (a header).
  func readPrefix(_ path: String, count: Int) throws(FileReadFailure) -> [UInt8]

  /// A folder whose files are looked at by relative path, many times over (a clip's frames);
  /// a failure when the folder cannot be listed.
  func folder(_ path: String) -> Result<any FolderAccess, FileReadFailure>
}

/// An open folder, for looking at many files in it.
public protocol FolderAccess: Sendable {
  /// What is at `relativePath` inside the folder.
  func kind(of relativePath: String) -> FileKind
}

/// What is at a path, as far as reading it goes.
public enum FileKind: Sendable, Equatable {
  case missing
  case directory
  /// A regular file; `readable` says whether this process may read it.
  case file(size: Int, readable: Bool)
  /// Something that is not a file or a folder: "a character device", "a FIFO", "a socket".
  case special(String)
  /// The path cannot be looked at: "permission denied" on a folder on the way, for instance.
  case inaccessible(String)
}

/// Why a file could not be read, in words a message can carry after the path.
public enum FileReadFailure: Error, Sendable, Equatable, CustomStringConvertible {
  case missing
  case directory
  /// Not a regular file: "a character device", "a FIFO", "a socket", "a block device".
  case special(String)
  case permissionDenied
  /// The file holds more than the `limit` the reader allowed.
  case tooLarge(size: Int?, limit: Int)
  /// Anything else the system said, lowercase: "input/output error".
  case failed(String)

  public var description: String {
    switch self {
    case .missing: "not found"
    case .directory: "is a folder, not a file"
    case .special(let what): "is not a regular file but \(what)"
    case .permissionDenied: "cannot be read (permission denied)"
    case .tooLarge(let size?, let limit):
      "is \(ByteCount.text(size)), more than the \(ByteCount.text(limit)) allowed"
    case .tooLarge(nil, let limit): "is more than the \(ByteCount.text(limit)) allowed"
    case .failed(let reason): "cannot be read (\(reason))"
    }
  }

  /// What to do about it.
  public var hint: String {
    switch self {
    case .missing: "check the path; it is relative to the file naming it"
    case .directory, .special: "name a regular file"
    case .permissionDenied: "let the user running rig read it (chmod, or the file's group)"
    case .tooLarge: "is this the right file?"
    case .failed: "check the file and the disk it is on"
    }
  }
}

/// `1 MiB`, `3.2 MiB`, `512 KiB`, `17 bytes`.
public enum ByteCount {
  public static func text(_ n: Int) -> String {
    if n >= 1 << 20 {
      return "\(MetricFormat.number((Double(n) / 1_048_576 * 10).rounded() / 10)) MiB"
    }
    if n >= 1 << 10 { return "\(MetricFormat.number((Double(n) / 1024 * 10).rounded() / 10)) KiB" }
    return "\(n) bytes"
  }
}

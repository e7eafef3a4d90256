// SPDX-License-Identifier: Apache-2.0
import RigCore

/// A file system held in memory, so the configuration loaders are fuzzed without touching the
/// disk: the fuzzed document at one path, fixed companions (a clip's labels and frames) at others.
public final class InMemoryFiles: FileAccess {
  private let files: [String: [UInt8]]
  private let folders: Set<String>

  /// Files by absolute path; their folders exist.
  public init(_ files: [String: [UInt8]]) {
    self.files = files
    var folders: Set<String> = ["/"]
    for path in files.keys {
      var parts = path.split(separator: "/").dropLast()
      while !parts.isEmpty {
        folders.insert("/" + parts.joined(separator: "/"))
        parts = parts.dropLast()
      }
    }
    self.folders = folders
  }

  public func kind(of path: String) -> FileKind {
    let path = Self.normalized(path)
    if folders.contains(path) { return .directory }
    guard let bytes = files[path] else { return .missing }
    return .file(size: bytes.count, readable: true)
  }

  public func read(_ path: String, limit: Int) throws(FileReadFailure) -> [UInt8] {
    let bytes = try contents(path)
    guard bytes.count <= limit else { throw .tooLarge(size: bytes.count, limit: limit) }
    return bytes
  }

  public func readPrefix(_ path: String, count: Int) throws(FileReadFailure) -> [UInt8] {
    Array(try contents(path).prefix(count))
  }

  public func folder(_ path: String) -> Result<any FolderAccess, FileReadFailure> {
    let path = Self.normalized(path)
    guard folders.contains(path) else { return .failure(.missing) }
    return .success(Folder(files: self, path: path))
  }

  private func contents(_ path: String) throws(FileReadFailure) -> [UInt8] {
    let path = Self.normalized(path)
    if folders.contains(path) { throw .directory }
    guard let bytes = files[path] else { throw .missing }
    return bytes
  }

  /// `/a/./b//c/` → `/a/b/c`; `..` goes up a folder.
  static func normalized(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/") {
      if part == "." { continue }
      if part == ".." {
        _ = parts.popLast()
        continue
      }
      parts.append(part)
    }
    return "/" + parts.joined(separator: "/")
  }

  private struct Folder: FolderAccess {
    let files: InMemoryFiles
    let path: String
    func kind(of relativePath: String) -> FileKind { files.kind(of: path + "/" + relativePath) }
  }
}

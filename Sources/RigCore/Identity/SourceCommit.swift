// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The commit of the git work tree a suite lives in, read from `.git` itself: no git process is
/// started before a run, and a machine without git (a bench Pi) reads it too.
///
/// Handles a `.git` folder, a `.git` file pointing elsewhere (worktrees, submodules), loose and
/// packed refs, and a detached HEAD. Repositories it cannot read this way (the reftable ref
/// format) report no commit rather than a wrong one.
public struct SourceCommit: Sendable, Equatable {
  /// 40 (or 64, for SHA-256 repositories) hex digits.
  public var commit: String
  /// The branch checked out; nil for a detached HEAD.
  public var branch: String?
  /// The work tree's top folder.
  public var root: URL

  public init(commit: String, branch: String?, root: URL) {
    self.commit = commit
    self.branch = branch
    self.root = root
  }

  /// The commit of the work tree holding `url` (a file or a folder), or nil outside a work tree.
  public static func find(containing url: URL, files: any FileAccess) -> SourceCommit? {
    var folder = url.standardizedFileURL
    if files.kind(of: folder.path) != .directory { folder.deleteLastPathComponent() }
    while true {
      let dotGit = folder.appendingPathComponent(".git")
      switch files.kind(of: dotGit.path) {
      case .directory: return read(gitDirectory: dotGit, root: folder, files: files)
      case .file:
        guard let target = pointer(in: dotGit, files: files) else { return nil }
        return read(gitDirectory: target, root: folder, files: files)
      default: break
      }
      let parent = folder.deletingLastPathComponent()
      if parent.path == folder.path { return nil }
      folder = parent
    }
  }

  /// The folder a `.git` file names (`gitdir: …`, relative to the file's folder).
  private static func pointer(in file: URL, files: any FileAccess) -> URL? {
    guard let text = readText(file, files), text.hasPrefix("gitdir:") else { return nil }
    let path = text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
    return URL(fileURLWithPath: path, relativeTo: file.deletingLastPathComponent()).standardizedFileURL
  }

  private static func read(gitDirectory: URL, root: URL, files: any FileAccess) -> SourceCommit? {
    guard let head = readText(gitDirectory.appendingPathComponent("HEAD"), files)?
      .trimmingCharacters(in: .whitespacesAndNewlines)
    else { return nil }
    guard head.hasPrefix("ref:") else {
      return isObjectName(head) ? SourceCommit(commit: head, branch: nil, root: root) : nil
    }
    let ref = head.dropFirst("ref:".count).trimmingCharacters(in: .whitespaces)
    // A linked worktree keeps HEAD to itself and shares refs with the main repository.
    var common = gitDirectory
    if let relative = readText(gitDirectory.appendingPathComponent("commondir"), files)?
      .trimmingCharacters(in: .whitespacesAndNewlines)
    {
      common = URL(fileURLWithPath: relative, relativeTo: gitDirectory).standardizedFileURL
    }
    let branch = ref.hasPrefix("refs/heads/") ? String(ref.dropFirst("refs/heads/".count)) : ref
    for directory in [gitDirectory, common] {
      if let loose = readText(directory.appendingPathComponent(ref), files)?
        .trimmingCharacters(in: .whitespacesAndNewlines), isObjectName(loose)
      {
        return SourceCommit(commit: loose, branch: branch, root: root)
      }
    }
    if let packed = readText(common.appendingPathComponent("packed-refs"), files) {
      for line in packed.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("^") {
        let parts = line.split(separator: " ", maxSplits: 1)
        if parts.count == 2, parts[1] == ref, isObjectName(String(parts[0])) {
          return SourceCommit(commit: String(parts[0]), branch: branch, root: root)
        }
      }
    }
    // An unborn branch (no commit yet), or refs in a format this reader does not know.
    return nil
  }

  private static func isObjectName(_ text: String) -> Bool {
    (text.count == 40 || text.count == 64) && text.allSatisfy(\.isHexDigit)
  }

  /// A small text file, or nil; refs and HEAD are a line each, so anything large is not one.
  private static func readText(_ url: URL, _ files: any FileAccess) -> String? {
    guard let bytes = try? files.read(url.path, limit: 1 << 20) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A run's folder on disk (`Reports/<run-id>`): the artifact sink of a real run and of
/// `rig report`. Logs are `AppendFile`s, reports are replaced through `AtomicFile`, and every
/// artifact that could not be written in full is remembered.
public final class RunFolder: ArtifactSink {
  public let url: URL
  public let location: String
  private let recorded = Locked<[ArtifactFailure]>([])

  /// The folder at `url`, which must exist (`create` makes one).
  public init(existing url: URL) {
    self.url = url
    location = url.displayPath
  }

  /// Creates the folder for a new run, with its parents, and checks that files can be made in it.
  /// Called before anything touches the bench.
  /// - Throws: `RigError(.cannotCreateOutput)` naming the folder, why, and what to do.
  public static func create(_ url: URL, option: String = "--reports") throws -> RunFolder {
    let path = url.path
    do throws(SystemError) {
      try Folders.make(path)
      let probe = path + "/.rig-write-check-\(getpid())"
      let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      guard fd >= 0 else { throw SystemError.last("open", probe) }
      Glibc.close(fd)
      unlink(probe)
    } catch {
      throw RigError(
        .cannotCreateOutput,
        "cannot create the report folder \(url.displayPath): \(error.reason) "
          + "(give \(option) a folder you can write to)")
    }
    return RunFolder(existing: url)
  }

  public func openLog(_ path: String, truncate: Bool) throws -> any ArtifactLog {
    let full = url.appendingPathComponent(path).path
    do throws(SystemError) {
      try Folders.make((full as NSString).deletingLastPathComponent)
    } catch {
      record(ArtifactFailure(path: path, kind: .notWritten, reason: error.reason))
      throw RigError(.hardwareFault, "cannot create the folder for \(display(path))", cause: error)
    }
    return try AppendFile(
      path: path, fullPath: full, displayPath: display(path), truncate: truncate,
      onFailure: { [weak self] in self?.record($0) })
  }

  public func replace(_ path: String, with bytes: [UInt8]) throws {
    do throws(SystemError) {
      try AtomicFile.write(bytes, to: url.appendingPathComponent(path).path)
    } catch {
      record(ArtifactFailure(path: path, kind: .notWritten, reason: error.reason))
      throw RigError(
        .hardwareFault,
        "cannot write \(display(path)): \(error.reason); the previous \(path), if any, is unchanged "
          + "(check free space and permissions of \(location), then run 'rig report \(location)')")
    }
  }

  public func status(of path: String) -> ArtifactStatus? {
    var info = stat()
    guard stat(url.appendingPathComponent(path).path, &info) == 0 else { return nil }
    let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    return ArtifactStatus(size: Int(info.st_size), modified: Date(timeIntervalSince1970: modified))
  }

  public var failures: [ArtifactFailure] { recorded.withLock { $0 } }

  private func record(_ failure: ArtifactFailure) {
    recorded.withLock { $0.append(failure) }
  }

  private func display(_ path: String) -> String {
    location.isEmpty ? path : "\(location)/\(path)"
  }
}

/// `mkdir -p`, with errno.
public enum Folders {
  /// Makes `path` and its missing parents; a folder already there is fine.
  public static func make(_ path: String) throws(SystemError) {
    var info = stat()
    if stat(path, &info) == 0 {
      guard info.st_mode & S_IFMT == S_IFDIR else { throw SystemError(code: ENOTDIR, call: "mkdir", path: path) }
      return
    }
    let parent = (path as NSString).deletingLastPathComponent
    if !parent.isEmpty && parent != path { try make(parent) }
    if mkdir(path, 0o755) != 0 && errno != EEXIST { throw SystemError.last("mkdir", path) }
  }
}

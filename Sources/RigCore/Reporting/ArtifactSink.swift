// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Where a run's evidence goes: `events.ndjson`, each test's `console.log` and `frames.csv`, and
/// the rendered reports. The runner and the report writers only see this protocol; RigSystem's
/// `RunFolder` puts the files on disk, and tests keep them in memory.
///
/// Paths are relative to the run folder (`artifacts/corridor/console.log`). A sink remembers
/// every artifact it could not write in full (`failures`), so a run whose evidence is incomplete
/// can say which files are cut or missing and end with its own exit code.
public protocol ArtifactSink: Sendable {
  /// The run folder as a user would type it (`Reports/<run-id>`), for messages.
  var location: String { get }

  /// Opens `path` for appending, creating its folders; `truncate` starts it empty.
  /// - Throws: `RigError(.hardwareFault)` naming the file; the failure is also recorded.
  func openLog(_ path: String, truncate: Bool) throws -> any ArtifactLog

  /// Replaces `path` with `bytes` in one step: a reader sees the old file or the new one, never
  /// half of one, and a failure (a full disk) leaves the old one as it was.
  /// - Throws: `RigError(.hardwareFault)` naming the file; the failure is also recorded.
  func replace(_ path: String, with bytes: [UInt8]) throws

  /// What is at `path`, or nil when nothing is.
  func status(of path: String) -> ArtifactStatus?

  /// Every artifact that could not be written in full, in the order the failures happened.
  var failures: [ArtifactFailure] { get }
}

/// A file written a line or a chunk at a time while the run goes on: each append reaches the
/// kernel at once, so a `kill -9` of rig loses nothing that was appended.
///
/// After a failed append nothing more is written to it: the file ends where it was cut, the sink
/// records the failure once, and later appends throw the same error without writing.
public protocol ArtifactLog: AnyObject {
  /// The path in the run folder.
  var path: String { get }
  /// Appends all of `bytes`.
  func append(_ bytes: UnsafeRawBufferPointer) throws
  /// Flushes what was appended to the disk itself (a power cut keeps it).
  func synchronize() throws
  /// Closes the file; later appends throw. Calling it twice is harmless.
  func close()
}

extension ArtifactLog {
  public func append(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try append($0) }
  }

  public func append(_ data: Data) throws {
    try data.withUnsafeBytes { try append($0) }
  }
}

/// Size and last write of an artifact.
public struct ArtifactStatus: Sendable, Equatable {
  public var size: Int
  public var modified: Date

  public init(size: Int, modified: Date) {
    self.size = size
    self.modified = modified
  }
}

/// An artifact that is incomplete or missing, and why.
public struct ArtifactFailure: Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// Written up to here, then a write failed: what is on disk is cut.
    case truncated(afterBytes: Int)
    /// Never written (or, for a report, the previous file is still there).
    case notWritten
  }

  /// The path in the run folder.
  public var path: String
  public var kind: Kind
  /// What went wrong, in words: "File too large", "No space left on device".
  public var reason: String

  public init(path: String, kind: Kind, reason: String) {
    self.path = path
    self.kind = kind
    self.reason = reason
  }

  /// `artifacts/t/console.log is incomplete: cut after 30720 bytes (File too large)`.
  public var description: String {
    switch kind {
    case .truncated(let bytes): "\(path) is incomplete: cut after \(bytes) bytes (\(reason))"
    case .notWritten: "\(path) was not written (\(reason))"
    }
  }
}

/// One test's folder in a sink (`artifacts/<test>`).
public struct ArtifactFolder: Sendable {
  public let sink: any ArtifactSink
  /// The folder's path in the run folder.
  public let path: String

  public init(sink: any ArtifactSink, path: String) {
    self.sink = sink
    self.path = path
  }

  /// Opens `name` in this folder, empty.
  public func create(_ name: String) throws -> any ArtifactLog {
    try sink.openLog("\(path)/\(name)", truncate: true)
  }

  /// The paths (in the run folder) of those of `names` that exist here.
  public func existing(_ names: [String]) -> [String] {
    names.map { "\(path)/\($0)" }.filter { sink.status(of: $0) != nil }
  }
}

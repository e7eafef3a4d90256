// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// An artifact sink that keeps a run's files in memory, for tests of what the runner and the
/// report writers put into a run folder. Writes to a path named in `failing` fail as a full disk
/// would (after `failing[path]` bytes for a log), so the recording of incomplete evidence can be
/// checked without filling a disk.
public final class MemoryArtifactSink: ArtifactSink {
  private struct State {
    var files: [String: (bytes: [UInt8], modified: Date)] = [:]
    var failures: [ArtifactFailure] = []
  }

  public let location: String
  private let failing: [String: Int]
  private let state = Locked(State())

  /// - Parameter failing: paths whose writes fail, and how many bytes of a log land first.
  public init(location: String = "Reports/memory", failing: [String: Int] = [:]) {
    self.location = location
    self.failing = failing
  }

  /// The bytes at `path`, or nil.
  public func contents(_ path: String) -> [UInt8]? {
    state.withLock { $0.files[path]?.bytes }
  }

  /// The text at `path`, or nil.
  public func text(_ path: String) -> String? {
    contents(path).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Every path written, sorted.
  public var paths: [String] { state.withLock { $0.files.keys.sorted() } }

  public func openLog(_ path: String, truncate: Bool) throws -> any ArtifactLog {
    state.withLock { s in
      if truncate || s.files[path] == nil { s.files[path] = ([], Date()) }
    }
    return Log(sink: self, path: path, limit: failing[path])
  }

  public func replace(_ path: String, with bytes: [UInt8]) throws {
    if failing[path] != nil {
      record(ArtifactFailure(path: path, kind: .notWritten, reason: ErrorText.posix(ENOSPC)))
      throw RigError(.hardwareFault, "cannot write \(location)/\(path): \(ErrorText.posix(ENOSPC))")
    }
    state.withLock { $0.files[path] = (bytes, Date()) }
  }

  public func status(of path: String) -> ArtifactStatus? {
    state.withLock { s in s.files[path].map { ArtifactStatus(size: $0.bytes.count, modified: $0.modified) } }
  }

  public var failures: [ArtifactFailure] { state.withLock { $0.failures } }

  fileprivate func record(_ failure: ArtifactFailure) {
    state.withLock { $0.failures.append(failure) }
  }

  /// Appends `bytes` to `path` up to `limit` bytes in all; false when the limit cut them.
  fileprivate func append(_ bytes: UnsafeRawBufferPointer, to path: String, limit: Int?) -> (Bool, Int) {
    state.withLock { s in
      var file = s.files[path] ?? ([], Date())
      let room = limit.map { max(0, $0 - file.bytes.count) } ?? bytes.count
      file.bytes.append(contentsOf: bytes.prefix(room))
      file.modified = Date()
      s.files[path] = file
      return (room >= bytes.count, file.bytes.count)
    }
  }

  private final class Log: ArtifactLog {
    let path: String
    private let sink: MemoryArtifactSink
    private let limit: Int?
    private var failure: RigError?
    private var closed = false

    init(sink: MemoryArtifactSink, path: String, limit: Int?) {
      self.sink = sink
      self.path = path
      self.limit = limit
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
      if let failure { throw failure }
      guard !closed else { throw RigError(.internal, "\(path) was written after it was closed") }
      let (whole, size) = sink.append(bytes, to: path, limit: limit)
      guard whole else {
        let reason = ErrorText.posix(ENOSPC)
        sink.record(ArtifactFailure(path: path, kind: .truncated(afterBytes: size), reason: reason))
        failure = RigError(.hardwareFault, "cannot write to \(path): \(reason)")
        throw failure!
      }
    }

    func synchronize() throws {
      if let failure { throw failure }
    }

    func close() {
      closed = true
    }
  }
}

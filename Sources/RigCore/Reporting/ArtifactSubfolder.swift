// SPDX-License-Identifier: Apache-2.0

/// A folder inside a run's artifact sink, as a sink of its own: what a runner writes at
/// `artifacts/t/console.log` lands at `<prefix>/artifacts/t/console.log` of the run. Each rig of
/// a pool runs into its own (`rigs/<rig>`), and a health check into `health`, so their files
/// never collide and the run's one sink still counts every failure.
public struct ArtifactSubfolder: ArtifactSink {
  public let base: any ArtifactSink
  /// The folder's path in the run folder, without a trailing slash.
  public let prefix: String

  public init(_ base: any ArtifactSink, _ prefix: String) {
    self.base = base
    self.prefix = prefix
  }

  public var location: String { base.location.isEmpty ? prefix : "\(base.location)/\(prefix)" }

  public func openLog(_ path: String, truncate: Bool) throws -> any ArtifactLog {
    try base.openLog("\(prefix)/\(path)", truncate: truncate)
  }

  public func replace(_ path: String, with bytes: [UInt8]) throws {
    try base.replace("\(prefix)/\(path)", with: bytes)
  }

  public func status(of path: String) -> ArtifactStatus? {
    base.status(of: "\(prefix)/\(path)")
  }

  /// The run's failures in this folder, with their paths as the folder sees them.
  public var failures: [ArtifactFailure] {
    base.failures.filter { $0.path.hasPrefix(prefix + "/") }.map { failure in
      var inside = failure
      inside.path = String(failure.path.dropFirst(prefix.count + 1))
      return inside
    }
  }
}

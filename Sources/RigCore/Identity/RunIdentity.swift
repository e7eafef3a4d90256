// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Everything that says what a run was, beyond what it measured: where it ran, on which board,
/// from which files, for which commit and CI build, with which simulator settings. It is
/// recorded in `run_started` (so a crashed run has it too), results.json, the JUnit properties
/// and history, so that two runs can be told apart, and compared only when they should be.
///
/// The firmware's own identity (version, image hash, model CRC) comes from the board's boot
/// record and joins these properties when the board boots.
public struct RunIdentity: Sendable, Equatable {
  public var host: String
  public var rigFileHash: String
  public var suiteFileHash: String
  public var board: BoardIdentity
  public var commit: SourceCommit?
  public var ciBuild: CIBuild?
  /// `sim.*`: the simulated bench's seed and every knob; empty for a hardware rig.
  public var simulation: [RunResult.Property]
  /// Content hash of each selected test's clip, by test name.
  public var clipHashes: [String: String]

  public init(
    host: String, rigFileHash: String, suiteFileHash: String, board: BoardIdentity,
    commit: SourceCommit? = nil, ciBuild: CIBuild? = nil, simulation: [RunResult.Property] = [],
    clipHashes: [String: String] = [:]
  ) {
    self.host = host
    self.rigFileHash = rigFileHash
    self.suiteFileHash = suiteFileHash
    self.board = board
    self.commit = commit
    self.ciBuild = ciBuild
    self.simulation = simulation
    self.clipHashes = clipHashes
  }

  /// Reads the identity of a run of `tests` of `suite` on `rig`. `board` is what the bench knows
  /// about the board beyond the rig file (a hardware rig's USB serial); nil uses the rig file.
  /// - Throws: `RigError(.configInvalid)` when a suite, rig or clip file cannot be read.
  public static func read(
    suite: Suite, tests: [TestCase], rig: RigConfiguration, board: BoardIdentity? = nil,
    files: any FileAccess, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> RunIdentity {
    var clipHashes: [String: String] = [:]
    var byFolder: [String: String] = [:]
    for test in tests where test.skipReason == nil {
      let folder = test.clip.directory.standardizedFileURL.path
      if let known = byFolder[folder] {
        clipHashes[test.name] = known
      } else {
        let hash = try ClipHash.of(test.clip)
        byFolder[folder] = hash
        clipHashes[test.name] = hash
      }
    }
    let simulation = rig.simulation.map { SettingsProperties.flatten($0, prefix: "sim") } ?? []
    let boardIdentity =
      board ?? (rig.simulation != nil ? BoardIdentity.simulated(rig: rig.name) : nil)
      ?? BoardIdentity.declared(by: rig) ?? BoardIdentity.named(rig: rig.name)
    return RunIdentity(
      host: hostName(),
      // The built-in rig has no file; its text is Rigs/sim.yaml's, so the hash is that file's.
      rigFileHash: RigLoader.isBuiltIn(rig)
        ? "sha256:" + SHA256.hex(Array(RigLoader.builtInSimYAML.utf8)) : try fileHash(rig.file),
      suiteFileHash: try fileHash(suite.file), board: boardIdentity,
      commit: SourceCommit.find(containing: suite.file, files: files),
      ciBuild: CIBuild.from(environment: environment), simulation: simulation,
      clipHashes: clipHashes)
  }

  /// The kernel's host name (`gethostname`): Foundation's `hostName` may ask DNS, which can stall
  /// on a bench Pi without network.
  static func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// `sha256:` and the SHA-256 of a file's bytes.
  public static func fileHash(_ url: URL) throws -> String {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw RigError(.configInvalid, "\(url.displayPath): cannot read it to record the run's identity")
    }
    return "sha256:" + SHA256.hex([UInt8](data))
  }

  /// The run-level properties, as JUnit and results.json carry them.
  public var properties: [RunResult.Property] {
    var list: [RunResult.Property] = [
      .init("host.name", host), .init("rig.file_sha256", rigFileHash),
      .init("suite.file_sha256", suiteFileHash), .init("board.id", board.id),
      .init("board.id_source", board.source),
    ]
    if let commit {
      list.append(.init("vcs.commit", commit.commit))
      if let branch = commit.branch { list.append(.init("vcs.branch", branch)) }
    }
    if let ciBuild {
      list.append(.init("ci.system", ciBuild.system))
      list.append(.init("ci.build_id", ciBuild.id))
      if let url = ciBuild.url { list.append(.init("ci.build_url", url)) }
    }
    return list + simulation
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigSystem

@testable import RigCore

/// RigCore reads files through the `FileAccess` it is given; these tests give it this machine's
/// (RigSystem's `LocalFileAccess`), through the calls they make.
let localFiles = LocalFileAccess()

extension SuiteLoader {
  static func load(_ file: URL) throws(ConfigError) -> Suite { try load(file, files: localFiles) }
}

extension RigLoader {
  static func load(_ file: URL) throws(ConfigError) -> RigConfiguration {
    try load(file, files: localFiles)
  }
}

extension ClipLoader {
  static func load(_ directory: URL, referencedAt: SourceLocation? = nil) throws(ConfigError)
    -> Clip
  {
    try load(directory, referencedAt: referencedAt, files: localFiles)
  }
}

extension FirmwareImageReader {
  static func read(
    _ file: URL, binAddress: UInt32? = nil, flashSize: Int = RT1062MemoryMap.defaultFlashSize
  ) throws(RigError) -> FirmwareImage {
    try read(file, binAddress: binAddress, flashSize: flashSize, files: localFiles)
  }
}

extension ClipChecker {
  static func check(_ clip: Clip) -> [ConfigIssue] { check(clip, files: localFiles) }
}

extension MOTImporter {
  func importSequence(at directory: URL) throws -> MOTImport {
    try importSequence(at: directory, files: localFiles)
  }
}

extension SourceCommit {
  static func find(containing url: URL) -> SourceCommit? { find(containing: url, files: localFiles) }
}

extension ClipFrameSource {
  init(clip: Clip) { self.init(clip: clip, files: localFiles) }
}

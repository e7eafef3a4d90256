// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Testing

@testable import RigSystem

/// The bounded reader every file rig reads goes through.
@Suite struct LocalFileAccessTests {
  final class Scratch {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rig-files-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }
  }

  @Test("whether a file may be read follows its mode bits and this process's user and groups")
  func permissionBits() {
    func status(mode: mode_t, user: uid_t, group: gid_t) -> stat {
      var s = stat()
      s.st_mode = S_IFREG | mode
      s.st_uid = user
      s.st_gid = group
      return s
    }
    let someone = LocalFileAccess.Credentials(user: 1000, group: 1000, groups: [20])
    #expect(someone.mayRead(status(mode: 0o400, user: 1000, group: 0)))
    #expect(!someone.mayRead(status(mode: 0o044, user: 1000, group: 1000)), "owner bits rule")
    #expect(someone.mayRead(status(mode: 0o040, user: 0, group: 20)), "a supplementary group")
    #expect(!someone.mayRead(status(mode: 0o004, user: 0, group: 20)), "group bits rule")
    #expect(someone.mayRead(status(mode: 0o004, user: 0, group: 0)))
    #expect(!someone.mayRead(status(mode: 0o000, user: 0, group: 0)))
    let root = LocalFileAccess.Credentials(user: 0, group: 0, groups: [])
    #expect(root.mayRead(status(mode: 0o000, user: 1000, group: 1000)))
  }

  @Test("a file read with a limit is refused when it holds more, however it grew")
  func boundedRead() throws {
    let dir = try Scratch()
    let file = dir.url.appendingPathComponent("f")
    try Data([UInt8](repeating: 1, count: 100)).write(to: file)
    let files = LocalFileAccess()
    #expect(try files.read(file.path, limit: 100).count == 100)
    #expect(throws: FileReadFailure.tooLarge(size: 100, limit: 99)) {
      try files.read(file.path, limit: 99)
    }
    #expect(try files.readPrefix(file.path, count: 10).count == 10)
    #expect(throws: FileReadFailure.special("a character device")) {
      try files.read("/dev/zero", limit: 1 << 20)
    }
    #expect(throws: FileReadFailure.directory) { try files.read(dir.url.path, limit: 10) }
    #expect(throws: FileReadFailure.missing) { try files.read(dir.url.path + "/nope", limit: 10) }
  }

}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A run folder on disk: logs, atomic replacement, and every failure remembered.
@Suite("run folders")
struct RunFolderTests {
  private func scratch() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rig-folder-\(UUID())")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test("a log makes its folders and each append reaches the file at once")
  func logs() throws {
    let folder = try RunFolder.create(scratch().appendingPathComponent("run"))
    let log = try folder.openLog("artifacts/t/console.log", truncate: true)
    try log.append(Array("one\n".utf8))
    let path = folder.url.appendingPathComponent("artifacts/t/console.log").path
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\n", "nothing buffered")
    try log.append(Array("two\n".utf8))
    log.close()
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\ntwo\n")
    #expect(folder.status(of: "artifacts/t/console.log")?.size == 8)
    #expect(folder.status(of: "artifacts/t/frames.csv") == nil)
    #expect(folder.failures.isEmpty)
  }

  @Test("a write that fails (a full disk) cuts the file there, is recorded once, and stops the log")
  func fullDisk() throws {
    let directory = try scratch()
    let folder = RunFolder(existing: directory)
    // /dev/full takes nothing: every write fails with ENOSPC, as on a full disk.
    #expect(symlink("/dev/full", directory.appendingPathComponent("console.log").path) == 0)
    let log = try folder.openLog("console.log", truncate: true)
    #expect(throws: RigError.self) { try log.append(Array("lost\n".utf8)) }
    #expect(throws: RigError.self) { try log.append(Array("also lost\n".utf8)) }
    #expect(
      folder.failures == [
        ArtifactFailure(
          path: "console.log", kind: .truncated(afterBytes: 0), reason: "No space left on device")
      ])
  }

  @Test("replace is all or nothing: a failure leaves what was there and no temporary file")
  func atomicReplace() throws {
    let directory = try scratch()
    let folder = RunFolder(existing: directory)
    try folder.replace("junit.xml", with: Array("old".utf8))
    try folder.replace("junit.xml", with: Array("new".utf8))
    #expect(
      try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8) == "new")
    // A folder in the way cannot be replaced by a file: rename(2) fails.
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("results.json/inside"), withIntermediateDirectories: true)
    #expect(throws: RigError.self) { try folder.replace("results.json", with: Array("x".utf8)) }
    #expect(folder.failures.map(\.path) == ["results.json"])
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(names == ["junit.xml", "results.json"], "the temporary file is removed")
  }

  @Test(
    "a report folder that cannot be made names itself, why and the option to change",
    arguments: ["/dev/null/run", "/proc/rig-no-such/run"])
  func cannotCreate(_ path: String) throws {
    #expect {
      _ = try RunFolder.create(URL(fileURLWithPath: path))
    } throws: { error in
      let rig = error as? RigError
      return rig?.code == .cannotCreateOutput
        && rig?.message.hasPrefix("cannot create the report folder \(path): ") == true
        && rig?.message.hasSuffix("(give --reports a folder you can write to)") == true
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// Locks cover the hardware a rig drives, not only its name: two rig files that share a port, a
/// line or a power switch never run at once, whatever they are called.
@Suite("rig locks: by resource, shared by every user", .timeLimit(.minutes(2)))
struct RigLockTests {
  @Test("two rig files with different names on one console: the second is refused (69), naming the run that holds it")
  func sameConsole() async throws {
    let rig = try RigCommand()
    let slow = try rig.simulatedRig(name: "slow-board", pace: 1)
    let board = try await SimBoardProcess(rig, settings: slow)
    let first = try board.hardwareRig()
    // The second rig file reaches the same pseudo-terminal through a symlink of its own, has no
    // camera, and switches power with another command (the board's folder by another path).
    let alias = rig.scratch.appendingPathComponent("other-console").path
    try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: "\(board.dir)/console")
    let boardAlias = rig.scratch.appendingPathComponent("board-alias").path
    try FileManager.default.createSymbolicLink(atPath: boardAlias, withDestinationPath: board.dir)
    let text = try String(contentsOf: first, encoding: .utf8)
      .replacingOccurrences(of: "rig: sim-hardware", with: "rig: other-bench")
      .replacingOccurrences(of: "port: \(board.dir)/console", with: "port: \(alias)")
      .replacingOccurrences(of: "power, \(board.dir),", with: "power, \(boardAlias),")
      .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("camera:") }
      .joined(separator: "\n")
    let second = try rig.write("other-bench.yaml", text)

    let run = try await rig.start([
      "run", "Fixtures/suites/demo.yaml", "--rig", first.path, "--reports", rig.reports.path, "--no-flash",
    ])
    #expect(await TestProcess.eventually { run.stdout.contains("> empty-room") }, "\(run.stdout)\(run.stderr)")
    let refused = try await rig.run([
      "run", "Fixtures/suites/demo.yaml", "--rig", second.path, "--reports", rig.reports.path, "--no-flash",
    ])
    #expect(refused.status == 69, "\(refused.stdout)\n\(refused.stderr)")
    let pid = run.pid
    #expect(
      refused.stderr.contains(
        "the console \(alias) (/dev/pts/") && refused.stderr.contains(
          ") of rig 'other-bench' (\(second.path)) is in use by pid \(pid) on "),
      "\(refused.stderr)")
    #expect(
      refused.stderr.contains(": rig run Fixtures/suites/demo.yaml on rig 'sim-hardware' (\(first.path))"),
      "the refusal names the other run and its rig file: \(refused.stderr)")
    #expect(refused.stderr.contains(" since 20"), "and when it started: \(refused.stderr)")
    run.signal(SIGTERM)
    #expect(await run.wait() == 143)
    try await board.stop()
  }

  @Test("two rig files sharing only a power command: the second is refused, naming the command")
  func samePowerCommand() async throws {
    let rig = try RigCommand()
    let slow = try rig.simulatedRig(name: "slow-board", pace: 1)
    let board = try await SimBoardProcess(rig, settings: slow)
    let first = try board.hardwareRig()
    let text = try String(contentsOf: first, encoding: .utf8)
      .replacingOccurrences(of: "rig: sim-hardware", with: "rig: same-power")
      .replacingOccurrences(of: "\(board.dir)/console", with: "\(board.dir)/elsewhere")
      .replacingOccurrences(of: "\(board.dir)/camera", with: "\(board.dir)/elsewhere-camera")
    let second = try rig.write("same-power.yaml", text)
    let run = try await rig.start([
      "run", "Fixtures/suites/demo.yaml", "--rig", first.path, "--reports", rig.reports.path, "--no-flash",
    ])
    #expect(await TestProcess.eventually { run.stdout.contains("> empty-room") }, "\(run.stdout)\(run.stderr)")
    let refused = try await rig.run(["power", "on", "--rig", second.path])
    #expect(refused.status == 69, "\(refused.stdout)\n\(refused.stderr)")
    #expect(refused.stderr.contains("the power-off command `"), "\(refused.stderr)")
    #expect(refused.stderr.contains("is in use by pid \(run.pid)"), "\(refused.stderr)")
    run.signal(SIGTERM)
    #expect(await run.wait() == 143)
    try await board.stop()
  }

  @Test("the lock folder is made for every user: mode 1777 like /tmp, lock files 0666, whatever the umask")
  func sharedFolder() async throws {
    let rig = try RigCommand()
    let result = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--only", "empty-room", "--reports", rig.reports.path])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    let folder = rig.scratch.appendingPathComponent("locks").path
    let attributes = try FileManager.default.attributesOfItem(atPath: folder)
    #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o7777 } == 0o1777, "\(attributes)")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder)
    #expect(!files.isEmpty)
    for file in files {
      let mode = try FileManager.default.attributesOfItem(atPath: "\(folder)/\(file)")[.posixPermissions] as? Int
      #expect(mode.map { $0 & 0o777 } == 0o666, "\(file)")
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

/// `rig` given files that are unreadable or hostile: a clear error naming the file, and nothing
/// from them obeyed by the terminal.
@Suite("rig on hostile and unreadable input", .timeLimit(.minutes(TestTime.minutes(2))))
struct HostileInputCommandTests {
  /// Runs `rig` as a user who is not the superuser, who ignores file permissions: as this
  /// process when it is not root, else as `nobody` through util-linux's `setpriv`.
  private func runUnprivileged(_ rig: RigCommand, _ arguments: [String]) async throws
    -> RigCommand.Result
  {
    guard geteuid() == 0 else { return try await rig.run(arguments) }
    let child = try await TestProcess(
      URL(fileURLWithPath: "/usr/bin/setpriv"),
      ["--reuid=65534", "--regid=65534", "--clear-groups", RigCommand.executable.path]
        + arguments,
      in: RigCommand.repositoryRoot, environment: rig.environment)
    let status = await child.wait()
    return RigCommand.Result(status: status, stdout: child.stdout, stderr: child.stderr)
  }

  private static var canDropPrivileges: Bool {
    geteuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
  }

  /// A suite playing a copy of the empty-room clip, every file readable by anyone.
  private func suiteWithClip(_ rig: RigCommand) throws -> (suite: URL, clip: URL) {
    let clip = try rig.copyClip("empty-room")
    let suite = try rig.write(
      "suite.yaml", "suite: s\ntests:\n  - { name: a, clip: clips/empty-room }\n")
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: rig.scratch.path)
    return (suite, clip)
  }

  @Test(
    "a frame file that cannot be read fails rig validate and rig run with exit 78, naming it",
    .enabled(if: canDropPrivileges))
  func unreadableFrame() async throws {
    let rig = try RigCommand()
    let (suite, clip) = try suiteWithClip(rig)
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o000], ofItemAtPath: clip.appendingPathComponent("frames/000003.pgm").path)
    for command in [["validate", suite.path], ["run", suite.path, "--reports", rig.reports.path]] {
      let result = try await runUnprivileged(rig, command)
      #expect(result.status == 78, "\(command[0]): \(result.stdout)\(result.stderr)")
      #expect(
        result.stderr.contains("frames/000003.pgm: frame 3 cannot be read (permission denied)"),
        "\(result.stderr)")
    }
  }

  @Test(
    "a frames folder that cannot be read is reported as such, not as missing frames",
    .enabled(if: canDropPrivileges))
  func unreadableFolder() async throws {
    let rig = try RigCommand()
    let (suite, clip) = try suiteWithClip(rig)
    let frames = clip.appendingPathComponent("frames")
    try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: frames.path)
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: frames.path) }
    let result = try await runUnprivileged(rig, ["validate", suite.path])
    #expect(result.status == 78)
    #expect(
      result.stderr.contains("frames folder cannot be read (permission denied): \(frames.path)"),
      "\(result.stderr)")
    #expect(!result.stderr.contains("not found"))
  }

  @Test(
    "--reports in a folder the user cannot write: exit 73 naming it, no Foundation error text",
    .enabled(if: canDropPrivileges))
  func readOnlyReportFolder() async throws {
    let rig = try RigCommand()
    let (suite, _) = try suiteWithClip(rig)
    let readOnly = rig.scratch.appendingPathComponent("read-only")
    try FileManager.default.createDirectory(
      at: readOnly, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o555])
    let reports = readOnly.appendingPathComponent("reports").path
    let result = try await runUnprivileged(
      rig, ["run", suite.path, "--reports", reports, "--history", "off"])
    #expect(result.status == 73, "\(result.stdout)\(result.stderr)")
    #expect(
      result.stderr.contains("cannot create the report folder \(reports)/"), "\(result.stderr)")
    #expect(result.stderr.contains("permission denied") || result.stderr.contains("Permission denied"))
    #expect(result.stderr.contains("(give --reports a folder you can write to)"))
    #expect(!result.stderr.contains("Domain="), "no raw Foundation error text")
  }

  @Test("ESC, BEL and NUL in a suite reach the terminal only as escapes")
  func controlCharacters() async throws {
    let rig = try RigCommand()
    _ = try rig.copyClip("empty-room")
    let suite = try rig.write(
      "suite.yaml",
      """
      suite: s
      tests:
        - { name: a, clip: clips/empty-room, skip: "\\e[2J\\e]0;pwned\\a wiped\\0" }
        - { name: b, clip: "clips/\\e[31mnope\\a" }

      """)
    let validate = try await rig.run(["validate", suite.path])
    #expect(validate.status == 78)
    #expect(validate.stderr.contains("clips/\\e[31mnope\\a"), "\(validate.stderr)")

    try rig.write("suite.yaml", try String(contentsOf: suite, encoding: .utf8).replacingOccurrences(
      of: "  - { name: b, clip: \"clips/\\e[31mnope\\a\" }\n", with: ""))
    let run = try await rig.run(["run", suite.path, "--reports", rig.reports.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("SKIPPED a in"), "\(run.stdout)")
    #expect(run.stdout.contains("\\e[2J\\e]0;pwned\\a wiped\\0"), "\(run.stdout)")
    for output in [validate.stdout, validate.stderr, run.stdout, run.stderr] {
      #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{00}" })
    }
  }
}

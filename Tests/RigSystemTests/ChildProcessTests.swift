// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import RigTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The one child-process runner: ends, time limits, teardown, output tails, never a shell.
@Suite("child processes", .timeLimit(.minutes(TestTime.minutes(1))))
struct ChildProcessTests {
  @Test("exit status and both streams are returned")
  func exitAndOutput() async throws {
    let run = try await ChildProcess.run(
      "/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], timeLimit: .seconds(30))
    #expect(run.end == .exited(3))
    #expect(run.stdout == "out\n")
    #expect(run.stderr == "err\n")
  }

  @Test("a program killed by a signal of its own says which")
  func signalled() async throws {
    let run = try await ChildProcess.run("/bin/sh", ["-c", "kill -9 $$"], timeLimit: .seconds(30))
    #expect(run.end == .signalled(SIGKILL))
    #expect(ChildProcess.shellStatus(run.end) == 137)
  }

  @Test("at the time limit a program gets SIGTERM; one that ignores it gets SIGKILL after the grace")
  func teardown() async throws {
    let polite = try await ChildProcess.run(
      "/bin/sh", ["-c", "echo started; exec sleep 60"], timeLimit: .milliseconds(300))
    #expect(polite.end == .timedOut)
    #expect(polite.stdout == "started\n", "output so far is kept")

    let start = ContinuousClock.now
    let stubborn = try await ChildProcess.run(
      "/bin/sh", ["-c", "trap '' TERM; echo waiting; while :; do sleep 0.05; done"],
      timeLimit: .milliseconds(300))
    #expect(stubborn.end == .timedOut)
    #expect(stubborn.stdout == "waiting\n")
    // Far below the loop's forever, with room for a loaded machine.
    #expect(ContinuousClock.now - start < TestTime.scaled(.seconds(20)))
  }

  @Test("a grandchild that keeps the output open does not hold the caller once the child exits")
  func grandchildHoldsPipe() async throws {
    let start = ContinuousClock.now
    let run = try await ChildProcess.run(
      "/bin/sh", ["-c", "sleep 30 & echo parent done"], timeLimit: .seconds(60))
    #expect(run.end == .exited(0))
    #expect(run.stdout == "parent done\n")
    #expect(ContinuousClock.now - start < TestTime.scaled(.seconds(20)))
  }

  @Test("cancelling the calling task stops the program and throws CancellationError")
  func cancellation() async throws {
    let task = Task {
      try await ChildProcess.run("/bin/sleep", ["60"], timeLimit: .seconds(120))
    }
    try await Task.sleep(for: .milliseconds(200))
    task.cancel()
    await #expect(throws: CancellationError.self) { _ = try await task.value }
  }

  @Test("only the last bytes of a chatty program's output are kept")
  func outputTail() async throws {
    let run = try await ChildProcess.run(
      "/bin/sh", ["-c", "i=0; while [ $i -lt 2000 ]; do echo line$i; i=$((i+1)); done"],
      timeLimit: .seconds(30), outputLimit: 20)
    #expect(run.stdout.count == 20)
    #expect(run.stdout.hasSuffix("line1999\n"))
  }

  @Test("a program that cannot start is a SystemError naming it")
  func cannotStart() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rig-cp-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let script = folder.appendingPathComponent("not-a-program")
    try Data("just text\n".utf8).write(to: script)
    chmod(script.path, 0o755)
    await #expect {
      _ = try await ChildProcess.run(script.path, [], timeLimit: .seconds(10))
    } throws: { error in
      let system = error as? SystemError
      return system?.call == "spawn" && system?.path == script.path && system?.code == ENOEXEC
    }
  }

  @Test("the command runner finds programs on PATH and runs arguments without a shell")
  func runnerNoShell() async throws {
    let tricky = ["a; touch /tmp/rig-should-not-exist", "$HOME", "`id`", "*"]
    let run = try await ChildProcessRunner().run(
      HardwareSettings.Command(argv: ["echo"] + tricky), purpose: "test")
    #expect(run.stdout == tricky.joined(separator: " ") + "\n")
    #expect(!FileManager.default.fileExists(atPath: "/tmp/rig-should-not-exist"))
  }

  @Test("a started program can be signalled and waited for, with a deadline")
  func started() async throws {
    let process = try await RunningProcess.start("/bin/sleep", ["60"])
    #expect(process.isRunning)
    #expect(await process.wait(until: .now + .milliseconds(100)) == nil, "still running")
    process.signal(SIGTERM)
    #expect(await process.wait(until: .now + .seconds(20)) == .signalled(SIGTERM))
    #expect(!process.isRunning)
    #expect(await process.wait(until: .now) == .signalled(SIGTERM), "asked again, same answer")
  }

  @Test("stopping a started program that ignores SIGTERM kills it")
  func startedStop() async throws {
    let process = try await RunningProcess.start(
      "/bin/sh", ["-c", "trap '' TERM; while :; do sleep 0.05; done"])
    try await Task.sleep(for: .milliseconds(100))
    #expect(await process.stop() == .signalled(SIGKILL))
  }
}

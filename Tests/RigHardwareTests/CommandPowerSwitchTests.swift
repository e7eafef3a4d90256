// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import RigTestSupport
import Testing

@testable import RigHardware

@Suite("power and reset through external commands", .timeLimit(.minutes(TestTime.minutes(1))))
struct CommandPowerSwitchTests {
  typealias Command = HardwareSettings.Command

  @Test("a command that succeeds switches power; one that fails quotes itself and its status")
  func trueAndFalse() async throws {
    let log = CapturedLog()
    let power = CommandPowerSwitch(
      on: Command(argv: ["/bin/true"]), off: Command(argv: ["/bin/false", "--port", "2"]),
      logger: log.logger)
    try await power.set(.on)
    #expect(log.messages == ["debug: power on: `/bin/true` done"])
    await #expect {
      try await power.set(.off)
    } throws: { error in
      let rig = error as? RigError
      return rig?.code == .toolFailed
        && rig?.message == "power off: `/bin/false --port 2` exited with status 1 (no output)"
    }
  }

  @Test("arguments reach the program as they are written, never through a shell")
  func noShell() async throws {
    let tricky = ["a; touch /tmp/rig-should-not-exist", "$HOME", "`id`", "it's", "*"]
    let result = try await ChildProcessRunner().run(
      Command(argv: ["/bin/echo"] + tricky), purpose: "test")
    #expect(result.stdout == tricky.joined(separator: " ") + "\n")
    #expect(!FileManager.default.fileExists(atPath: "/tmp/rig-should-not-exist"))
  }

  @Test("a program is found on PATH, and its output is captured into the error")
  func outputInError() async throws {
    let command = Command(argv: [
      "sh", "-c", "echo port 2 power off; echo 'no such hub' >&2; exit 3",
    ])
    await #expect {
      _ = try await ChildProcessRunner().run(command, purpose: "power off")
    } throws: { error in
      (error as? RigError)?.message
        == "power off: `sh -c 'echo port 2 power off; echo '\\''no such hub'\\'' >&2; exit 3'` exited with "
        + "status 3: port 2 power off\nno such hub"
    }
  }

  @Test("a command past its timeout is killed, and the error says so")
  func timeout() async throws {
    let start = ContinuousClock.now
    await #expect {
      _ = try await ChildProcessRunner().run(
        Command(argv: ["sleep", "60"], timeout: .milliseconds(200)), purpose: "power on")
    } throws: { error in
      let rig = error as? RigError
      return rig?.code == .timedOut
        && rig?.message
          == "power on: `sleep 60` did not finish within 200ms and was killed (no output)"
    }
    // Far below the program's 60 s, with room for a loaded machine.
    #expect(ContinuousClock.now - start < TestTime.scaled(.seconds(30)), "killed, not waited for")
  }

  @Test("a program that ignores SIGTERM is killed with SIGKILL")
  func stubborn() async throws {
    let start = ContinuousClock.now
    let command = Command(
      argv: ["sh", "-c", "trap '' TERM; echo waiting; sleep 60"], timeout: .milliseconds(300))
    await #expect {
      _ = try await ChildProcessRunner().run(command, purpose: "reset")
    } throws: { error in
      (error as? RigError)?.message.hasSuffix(
        "did not finish within 300ms and was killed; output so far: waiting") == true
    }
    #expect(ContinuousClock.now - start < TestTime.scaled(.seconds(30)))
  }

  @Test("a program that is not there is 'hardware unavailable' with what to do")
  func missingProgram() async throws {
    await #expect {
      _ = try await ChildProcessRunner().run(
        Command(argv: ["uhubctl-not-installed", "-a", "on"]), purpose: "power on")
    } throws: { error in
      let rig = error as? RigError
      return rig?.code == .hardwareUnavailable
        && rig?.message
          == "power on: program 'uhubctl-not-installed' not found on PATH (install it, or write its full path in the rig file)"
    }
    let folder = try ScratchFolder()
    let script = folder.url.appendingPathComponent("reset-board")
    try Data("not a program\n".utf8).write(to: script)
    await #expect {
      _ = try await ChildProcessRunner().run(Command(argv: [script.path]), purpose: "reset")
    } throws: { error in
      (error as? RigError)?.message == "reset: \(script.path) is not executable (chmod +x it)"
    }
    chmod(script.path, 0o755)
    await #expect {
      _ = try await ChildProcessRunner().run(Command(argv: [script.path]), purpose: "reset")
    } throws: { error in
      (error as? RigError)?.message
        == "reset: cannot start `\(script.path)`: Exec format error (is \(script.path) a program for this machine?)"
    }
  }

  @Test("a reset command runs its argv")
  func reset() async throws {
    try await CommandReset(command: Command(argv: ["/bin/true"])).pulse()
    await #expect(throws: RigError.self) {
      try await CommandReset(command: Command(argv: ["/bin/false"])).pulse()
    }
  }
}

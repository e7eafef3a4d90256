// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// Hardware rig files run against `rig sim board` in another process: the whole hardware path
/// (HardwareBench, serial ports through termios, power by command, the emulator link) without
/// hardware.
@Suite("rig sim board: the hardware path without hardware", .timeLimit(.minutes(TestTime.minutes(2))))
struct SimBoardTests {
  @Test("the demo suite passes on a hardware rig file through HardwareBench, with valid JUnit")
  func demoPasses() async throws {
    let rig = try RigCommand()
    let board = try await SimBoardProcess(rig)
    let hardware = try board.hardwareRig()
    let doctor = try await rig.run(["doctor", "--rig", hardware.path])
    #expect(doctor.status == 0, "\(doctor.stdout)\n\(doctor.stderr)")
    #expect(
      doctor.stdout.contains(
        "ok    camera emulator link \(board.dir)/camera: \"rig simulated emulator 1.0\" "
          + "answered HELLO: link protocol v1"), "\(doctor.stdout)")

    // The emulator self-test reaches the board's emulator through the rig file's camera port.
    let selftest = try await rig.run(["emulator", "selftest", "--rig", hardware.path, "--frames", "20"])
    #expect(selftest.status == 0, "\(selftest.stdout)\n\(selftest.stderr)")
    #expect(
      selftest.stdout.hasPrefix(
        "checking the camera emulator of rig 'sim-hardware' on \(board.dir)/camera\n"),
      "\(selftest.stdout)")
    #expect(selftest.stdout.contains("ok   test patterns:"), "\(selftest.stdout)")

    // The rig file has no flasher:, so the board runs the image its flash holds.
    let result = try await rig.run([
      "run", "Fixtures/suites/demo.yaml", "--rig", hardware.path, "--reports", rig.reports.path, "--no-flash",
    ])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    #expect(
      result.stdout.contains(
        "on 'sim-hardware' (hardware bench (virtual-rt1062), power "
          + "`\(RigCommand.executable.path) sim power \(board.dir) on`, console \(board.dir)/console, "
          + "camera emulator \(board.dir)/camera)"), "\(result.stdout)")
    // The hardware layer's choices are logged only with -v.
    #expect(result.stderr.isEmpty, "\(result.stderr)")

    let folder = try rig.runFolder()
    let results = try JSONRenderer.parse(
      Data(contentsOf: folder.appendingPathComponent("results.json")))
    #expect(
      results.tests.map(\.name)
        == ["empty-room", "corridor-light", "lighting-change", "corridor-busy"])
    #expect(results.tests.allSatisfy { $0.verdict == .passed }, "\(results.tests.map(\.message))")
    #expect(results.tests.map(\.frames.sent) == [60, 120, 150, 200])
    #expect(results.tests.map(\.frames.matched) == [60, 120, 150, 200])
    let problems = try await Xmllint.validateJUnit(folder.appendingPathComponent("junit.xml"))
    #expect(problems.isEmpty, "\(problems)")

    // Power went through the command: the board saw it, and the run left it off.
    #expect(board.child.stdout.contains("power on\n"))
    let status = try await rig.run(["sim", "power", board.dir, "status"])
    #expect(status.stdout == "power: off\n", "\(status.stdout)\(status.stderr)")
    let verbose = try await rig.run([
      "test", "Fixtures/suites/demo.yaml", "empty-room", "--rig", hardware.path, "--reports", rig.reports.path,
      "--no-flash", "-v",
    ])
    #expect(verbose.status == 0, "\(verbose.stdout)\n\(verbose.stderr)")
    for role in ["console", "camera emulator"] {
      let port = role == "console" ? "console" : "camera"
      #expect(
        verbose.stderr.contains("\(role): \(board.dir)/\(port) → /dev/pts/")
          && verbose.stderr.contains("via termios (a pseudo-terminal"), "\(verbose.stderr)")
    }
    try await board.stop()
  }

  @Test("emulator faults armed by the suite show up as on the simulated bench")
  func faultsAsSimulated() async throws {
    let rig = try RigCommand()
    _ = try rig.copyClip("empty-room")
    let suite = try rig.write(
      "faults.yaml",
      """
      suite: emulator-faults-hardware
      defaults: { timeout: 30s, limits: { count.mae: "<= 0.25" } }
      tests:
        - name: corrupt-byte
          clip: clips/empty-room
          emulator_faults: [{ kind: corrupt_byte, frame: 10, parameter: 4000 }]
        - name: length-zero
          clip: clips/empty-room
          emulator_faults: [{ kind: len_zero, frame: 12 }]
        - name: test-register-failure
          clip: clips/empty-room
          emulator_faults: [{ kind: testreg_fail }]
        - name: after-the-faults
          clip: clips/empty-room
      """)
    let board = try await SimBoardProcess(rig)
    let hardware = try board.hardwareRig()
    let hwReports = rig.scratch.appendingPathComponent("hw")
    let simReports = rig.scratch.appendingPathComponent("sim")
    let onBoard = try await rig.run([
      "run", suite.path, "--rig", hardware.path, "--reports", hwReports.path,
    ])
    #expect(onBoard.status == 2, "\(onBoard.stdout)\n\(onBoard.stderr)")
    try await board.stop()
    let simulated = try await rig.run([
      "run", suite.path, "--rig", "Rigs/sim.yaml", "--reports", simReports.path,
    ])
    #expect(simulated.status == 2, "\(simulated.stdout)\n\(simulated.stderr)")

    let hw = try Self.results(hwReports).tests
    let sim = try Self.results(simReports).tests
    #expect(hw.map(\.verdict) == [.passed, .passed, .errored, .passed])
    #expect(hw.count == sim.count)
    for (h, s) in zip(hw, sim) {
      #expect(h.verdict == s.verdict, "\(h.name)")
      #expect(h.message == s.message, "\(h.name)")
      #expect(h.errorType == s.errorType, "\(h.name)")
      #expect(h.frames == s.frames, "\(h.name)")
      #expect(h.metrics == s.metrics, "\(h.name)")
    }
    #expect(hw[2].message?.contains("the test injected testreg_fail") == true, "\(hw[2].message ?? "")")
    // The damaged frames are findings of the first two tests, as on the simulated bench.
    #expect(hw[0].frames.sent == 60 && hw[0].frames.matched < 60, "\(hw[0].frames)")
    #expect(hw[1].frames.matched < 60, "\(hw[1].frames)")
  }

  @Test("killing the board mid-run errors the test with the port that vanished; no hang")
  func boardKilled() async throws {
    let rig = try RigCommand()
    let slow = try rig.simulatedRig(name: "slow-board", pace: 1)
    let board = try await SimBoardProcess(rig, settings: slow)
    let hardware = try board.hardwareRig(reconnect: "1s")
    let run = try await rig.start([
      "run", "Fixtures/suites/demo.yaml", "--rig", hardware.path, "--reports", rig.reports.path, "--no-flash",
    ])
    // Killed while frames stream: the board has booted for the first test, which takes about
    // two seconds at pace 1.
    let booted = await TestProcess.eventually {
      (try? rig.runFolder()).map { Self.events($0).contains("\"detail\":\"fw=") } ?? false
    }
    #expect(booted, "\(run.stderr)")
    try await Task.sleep(for: .milliseconds(500))
    board.child.signal(SIGKILL)
    _ = await board.child.wait(timeout: .seconds(5))
    let killedAt = ContinuousClock.now
    let status = await run.wait(timeout: .seconds(60))
    let took = ContinuousClock.now - killedAt
    #expect(status == 2, "\(run.stdout)\n\(run.stderr)")
    #expect(took < TestTime.scaled(.seconds(20)), "the run took \(took) to notice")

    let folder = try rig.runFolder()
    let results = try JSONRenderer.parse(
      Data(contentsOf: folder.appendingPathComponent("results.json")))
    #expect(results.tests.count == 4)
    // The test running at the kill errors naming the port that vanished, and so does every
    // test after it (a loaded machine may have finished the first before the kill).
    let killed = try #require(results.tests.firstIndex { $0.verdict == .errored })
    #expect(killed <= 1)
    #expect(results.tests[killed...].allSatisfy { $0.verdict == .errored })
    let message = results.tests[killed].message ?? ""
    #expect(
      message.contains("serial port \(board.dir)/") && message.contains("disappeared"),
      "\(message)")
    let problems = try await Xmllint.validateJUnit(folder.appendingPathComponent("junit.xml"))
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test("a hardware rig without camera: errors each test saying what the rig file needs")
  func noCamera() async throws {
    let rig = try RigCommand()
    _ = try rig.copyClip("empty-room")
    let suite = try rig.write(
      "one.yaml", "suite: one\ntests:\n  - { name: empty-room, clip: clips/empty-room }\n")
    let board = try await SimBoardProcess(rig)
    let hardware = try board.hardwareRig(camera: false)
    let result = try await rig.run([
      "run", suite.path, "--rig", hardware.path, "--reports", rig.reports.path,
    ])
    #expect(result.status == 2, "\(result.stdout)\n\(result.stderr)")
    let results = try JSONRenderer.parse(
      Data(contentsOf: try rig.runFolder().appendingPathComponent("results.json")))
    #expect(
      results.tests.first?.message?.contains(
        "rig 'sim-hardware' (\(hardware.path)) has no camera emulator: add `camera: { emulator: { port:")
        == true, "\(results.tests.first?.message ?? "")")
    try await board.stop()
  }

  @Test("rig doctor names an absent camera emulator port (exit 69); rig sim power needs a board")
  func absent() async throws {
    let rig = try RigCommand()
    let board = try await SimBoardProcess(rig)
    let text = try String(contentsOf: board.hardwareRig(), encoding: .utf8)
      .replacingOccurrences(of: "\(board.dir)/camera", with: "\(board.dir)/no-camera")
    let file = try rig.write("absent-camera.yaml", text)
    let doctor = try await rig.run(["doctor", "--rig", file.path])
    #expect(doctor.status == 69, "\(doctor.stdout)\n\(doctor.stderr)")
    #expect(doctor.stdout.contains("FAIL  camera emulator \(board.dir)/no-camera: not found (fix: "))
    #expect(!doctor.stdout.contains("camera emulator link"), "no handshake with an absent port")
    #expect(doctor.stdout.hasSuffix("1 problem found\n"), "\(doctor.stdout)")
    try await board.stop()

    let power = try await rig.run(["sim", "power", board.dir, "on"])
    #expect(power.status == 69)
    #expect(
      power.stderr.contains(
        "no simulated board listens on \(board.dir)/power "
          + "(start one with `rig sim board --dir \(board.dir)`)"))
  }

  static func results(_ reports: URL) throws -> RunResult {
    let runs = try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted()
    let folder = reports.appendingPathComponent(try #require(runs.last))
    return try JSONRenderer.parse(Data(contentsOf: folder.appendingPathComponent("results.json")))
  }

  static func events(_ folder: URL) -> String {
    (try? String(contentsOf: folder.appendingPathComponent("events.ndjson"), encoding: .utf8)) ?? ""
  }
}

/// `rig sim board` running in a child process, in a folder of the test's scratch space.
struct SimBoardProcess {
  let rig: RigCommand
  let child: TestProcess
  let dir: String

  /// Starts the board (settings from `settings`, or Rigs/sim.yaml) in `scratch/<folder>` and
  /// waits until it serves.
  init(_ rig: RigCommand, settings: URL? = nil, folder: String = "board") async throws {
    self.rig = rig
    dir = rig.scratch.appendingPathComponent(folder).path
    child = try await rig.start(
      ["sim", "board", "--dir", dir] + (settings.map { ["--rig", $0.path] } ?? []))
    let ready = await TestProcess.eventually(within: .seconds(20)) { [child] in
      child.stdout.contains("stop with Ctrl-C") || !child.isRunning
    }
    guard ready, child.isRunning else {
      child.signal(SIGKILL)
      throw RigError(.internal, "rig sim board did not start: \(child.stdout)\(child.stderr)")
    }
  }

  /// The shipped Rigs/sim-hardware.yaml pointed at this board, with the rig under test as its
  /// power command's program.
  func hardwareRig(reconnect: String? = nil, camera: Bool = true, name: String = "sim-hardware") throws -> URL {
    var text = try String(
      contentsOf: RigCommand.repositoryRoot.appendingPathComponent("Rigs/sim-hardware.yaml"),
      encoding: .utf8)
    text = text.replacingOccurrences(of: "/tmp/rig-sim-board", with: dir)
      .replacingOccurrences(of: "[rig, sim, power,", with: "[\(RigCommand.executable.path), sim, power,")
    if let reconnect {
      text = text.replacingOccurrences(of: "reconnect: 2s", with: "reconnect: \(reconnect)")
    }
    if !camera {
      text = text.split(separator: "\n", omittingEmptySubsequences: false)
        .filter { !$0.hasPrefix("camera:") }.joined(separator: "\n")
    }
    text = text.replacingOccurrences(of: "rig: sim-hardware", with: "rig: \(name)")
    return try rig.write("\(name).yaml", text)
  }

  /// SIGTERM: the board exits 0 and removes its links, its socket and the folder it made.
  func stop() async throws {
    child.signal(SIGTERM)
    let status = await child.wait(timeout: .seconds(10))
    #expect(status == 0, "\(child.stdout)\n\(child.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir), "\(dir) removed")
  }
}

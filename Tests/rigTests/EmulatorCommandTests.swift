// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// The camera emulator path from the command line: faults injected through the link, formats
/// converted on the way, and the emulator's own commands.
@Suite("the camera emulator path, end to end", .timeLimit(.minutes(TestTime.minutes(3))))
struct EmulatorCommandTests {
  @Test("each emulator fault kind ends as its finding or as a test error, and the run goes on")
  func faultSuite() async throws {
    let rig = try RigCommand()
    let rigFile = try rig.simulatedRig(name: "sim-faults")
    let result = try await rig.run([
      "run", "Fixtures/suites/emulator-faults.yaml", "--rig", rigFile.path, "--reports", rig.reports.path,
    ])
    #expect(result.status == 2, "\(result.stdout)\n\(result.stderr)")
    let folder = try rig.runFolder()
    let expected: [(test: String, frame: String, finding: String)] = [
      ("corrupt-byte", "10", "damaged"), ("length-zero", "12", "bad_length"),
      ("length-oversize", "14", "bad_length"), ("length-wrong", "16", "bad_length"),
      ("truncated-read", "18", "truncated"), ("capture-done-stuck", "20", "capture_stuck"),
    ]
    for (test, frame, finding) in expected {
      let rows = try RigCommand.csvRows(folder.appendingPathComponent("artifacts/\(test)/frames.csv"))
      var flagged = rows.filter { $0["finding"] != "matched" }
      if finding == "capture_stuck" {
        // The test ends at the stuck capture; the frames queued behind it are missing.
        let behind = flagged.dropFirst()
        #expect(!behind.isEmpty && behind.allSatisfy { $0["finding"] == "missing" }, "\(test): \(flagged)")
        flagged = Array(flagged.prefix(1))
      }
      #expect(flagged.map { $0["frame"] ?? "" } == [frame], "\(test): \(flagged)")
      #expect(flagged.map { $0["finding"] ?? "" } == [finding], "\(test)")
    }
    let results = try JSONRenderer.parse(Data(contentsOf: folder.appendingPathComponent("results.json")))
    let verdicts = Dictionary(uniqueKeysWithValues: results.tests.map { ($0.name, $0) })
    for test in ["corrupt-byte", "length-zero", "length-oversize", "length-wrong", "truncated-read"] {
      #expect(verdicts[test]?.verdict == .passed, "\(test)")
      #expect(verdicts[test]?.frames.served == 60, "\(test): the emulator served every frame")
    }
    #expect(verdicts["length-zero"]?.details?.contains("frames bad_length 12") == true)
    #expect(verdicts["corrupt-byte"]?.frames.damaged == 1)
    #expect(verdicts["capture-done-stuck"]?.verdict == .errored)
    #expect(verdicts["capture-done-stuck"]?.message?.contains("never raised CAP_DONE for capture 21 (frame 20)") == true)
    #expect(verdicts["test-register-failure"]?.message?.contains("camera check failed: camera_spi") == true)
    #expect(verdicts["sensor-nack"]?.message?.contains("camera check failed: camera_sensor") == true)
    #expect(verdicts["after-the-faults"]?.verdict == .passed, "the run went on and recovered")
  }

  @Test("damage on the SPI bus shows as damaged between the emulator and the DUT")
  func busDamage() async throws {
    let rig = try RigCommand()
    let rigFile = try rig.simulatedRig(
      name: "sim-bus", extra: "  faults: [{ kind: corrupt_frame, test: room, frame: 7 }]")
    let suite = try rig.write(
      "suite.yaml", "suite: bus\ntests:\n  - { name: room, clip: \(RigCommand.repositoryRoot.path)/Fixtures/clips/empty-room }\n")
    let result = try await rig.run(["run", suite.path, "--rig", rigFile.path, "--reports", rig.reports.path, "-v"])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    #expect(result.stdout.contains("frame 7: damaged: frame 7 was damaged between the emulator and the DUT"))
  }

  @Test("a rig whose firmware reads RGB565 gets the gray clips converted: same counts, twice the bytes")
  func rgb565Rig() async throws {
    let rig = try RigCommand()
    let rigFile = try rig.simulatedRig(name: "sim-rgb", extra: "  camera: { format: rgb565be }")
    let result = try await rig.run([
      "run", "Fixtures/suites/demo.yaml", "--rig", rigFile.path, "--only", "corridor-light",
      "--reports", rig.reports.path,
    ])
    // Reading 18 KiB instead of 9 KiB over SPI costs 9 ms more per frame: the latency limit of
    // the demo suite breaks (exit 1), the counting does not.
    #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
    #expect(result.stdout.contains("latency.p95_ms"))
    let rows = try RigCommand.csvRows(try rig.runFolder().appendingPathComponent("artifacts/corridor-light/frames.csv"))
    #expect(rows.count == 120 && rows.allSatisfy { $0["finding"] == "matched" })
    #expect(rows.allSatisfy { $0["capture_ms"] == "18.432" }, "96×96×2 bytes at 8 MHz")
    let results = try JSONRenderer.parse(Data(contentsOf: try rig.runFolder().appendingPathComponent("results.json")))
    #expect(results.tests.first?.metric(.countExactMatch).map { $0 > 0.9 } == true)
    #expect(results.tests.first?.violations.map(\.limit.metric) == [.latencyP95])
  }
}

/// `rig sim emulator` and `rig emulator selftest`.
@Suite("the emulator commands", .timeLimit(.minutes(TestTime.minutes(2))))
struct EmulatorToolTests {
  @Test("selftest of a simulated rig passes every check and reports the link rate")
  func selftestSimulated() async throws {
    let rig = try RigCommand()
    let result = try await rig.run(["emulator", "selftest", "--rig", "Rigs/sim.yaml", "--frames", "50"])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    for check in ["handshake", "test patterns", "damaged upload refused", "read-back", "link counters"] {
      #expect(result.stdout.contains("ok   \(check):"), "\(check)")
    }
    #expect(result.stdout.contains("rate 96×96 gray8: 50 frames"))
    #expect(result.stdout.contains("rate QVGA RGB565: 5 frames"))
  }

  @Test("sim emulator serves a tty behind a symlink until SIGINT; selftest drives it by --port")
  func simEmulatorAndPort() async throws {
    let rig = try RigCommand()
    let link = rig.scratch.appendingPathComponent("emulator").path
    let server = try await rig.start(["sim", "emulator", "--link", link])
    let up = await TestProcess.eventually(within: .seconds(20)) {
      (try? FileManager.default.destinationOfSymbolicLink(atPath: link))?.hasPrefix("/dev/pts/") == true
    }
    #expect(up, "no symlink: \(server.stdout)\n\(server.stderr)")
    let result = try await rig.run(["emulator", "selftest", "--port", link, "--frames", "20"])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    // No DUT reads frames from this emulator: the read-back is skipped, not failed.
    #expect(result.stdout.contains("skip read-back"))
    server.signal(SIGINT)
    #expect(await server.wait(timeout: .seconds(20)) == 0)
    #expect(!FileManager.default.fileExists(atPath: link), "the symlink is removed")
  }

  @Test("selftest of a port with nothing behind it fails with exit 69, naming the port")
  func selftestNothing() async throws {
    let rig = try RigCommand()
    let result = try await rig.run(["emulator", "selftest", "--port", "/dev/rig-no-such-port"])
    #expect(result.status == 69)
    #expect(result.stderr.contains("/dev/rig-no-such-port"))
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// `rig run` as a user runs it: a real process on the simulated bench, real files out.
@Suite("rig run, end to end on the simulated bench", .timeLimit(.minutes(3)))
struct RunCommandTests {
  @Test("the demo suite passes, exits 0 and writes events, JUnit, JSON and a summary")
  func demo() async throws {
    let rig = try RigCommand()
    let result = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--reports", rig.reports.path])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    #expect(result.stdout.contains("4 passed, 0 failed, 0 errored, 0 skipped"))
    #expect(result.stdout.contains("console on /dev/pts/"), "the console is a real pseudo-terminal")
    #expect(result.stdout.contains("via termios"))
    let folder = try rig.runFolder()
    for file in ["events.ndjson", "junit.xml", "results.json", "summary.txt"] {
      #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
    }
    for test in ["empty-room", "corridor-light", "lighting-change", "corridor-busy"] {
      let rows = try RigCommand.csvRows(folder.appendingPathComponent("artifacts/\(test)/frames.csv"))
      #expect(!rows.isEmpty && rows.allSatisfy { $0["finding"] == "matched" }, "\(test)")
    }
    let results = try JSONRenderer.parse(Data(contentsOf: folder.appendingPathComponent("results.json")))
    #expect(results.tests.map(\.verdict) == [.passed, .passed, .passed, .passed])
    #expect(results.tests[1].metric(.countExactMatch).map { $0 > 0.9 } == true)
  }

  @Test("the demo run's JUnit validates against junit-10 and, per testsuite, Surefire")
  func junitValidates() async throws {
    guard Xmllint.executable != nil else {
      Issue.record(Comment(rawValue: Xmllint.missingMessage))
      return
    }
    let rig = try RigCommand()
    let result = try await rig.run(["run", "Fixtures/suites/regression.yaml", "--rig", "Rigs/sim-regression.yaml",
                                    "--reports", rig.reports.path])
    #expect(result.status == 2)
    let problems = try await Xmllint.validateJUnit(try rig.runFolder().appendingPathComponent("junit.xml"))
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test("an injected regression fails a test (exit 1) and a hang errors one (exit 2)")
  func regression() async throws {
    let rig = try RigCommand()
    let all = try await rig.run([
      "run", "Fixtures/suites/regression.yaml", "--rig", "Rigs/sim-regression.yaml", "--reports", rig.reports.path,
    ])
    #expect(all.status == 2, "\(all.stdout)\n\(all.stderr)")
    #expect(all.stdout.contains("1 passed, 1 failed, 1 errored"))
    let junit = try String(contentsOf: rig.runFolder().appendingPathComponent("junit.xml"), encoding: .utf8)
    #expect(junit.contains(#"tests="3" failures="1" errors="1""#))
    #expect(junit.contains(#"type="LimitViolation""#))
    #expect(junit.contains(#"type="Hang""#))
    #expect(junit.contains("latency.p95_ms = "))

    let failedOnly = try await rig.run([
      "run", "Fixtures/suites/regression.yaml", "--rig", "Rigs/sim-regression.yaml", "--only", "corridor-light",
      "--reports", rig.reports.path,
    ])
    #expect(failedOnly.status == 1, "\(failedOnly.stdout)\n\(failedOnly.stderr)")
  }

  @Test("corrupting one frame's bytes in a clip changes the DUT's count for that frame")
  func corruptedFrame() async throws {
    let rig = try RigCommand()
    let clip = try rig.copyClip("empty-room")
    let suite = try rig.write(
      "suite.yaml", "suite: corrupt\ntests:\n  - { name: room, clip: clips/empty-room, limits: { count.max_abs_error: \"== 0\" } }\n")
    let before = try await rig.run(["run", suite.path, "--reports", rig.reports.path])
    #expect(before.status == 0, "\(before.stdout)\n\(before.stderr)")
    let original = try RigCommand.csvRows(rig.runFolder().appendingPathComponent("artifacts/room/frames.csv"))

    // Paint a bright 10×10 patch into frame 17: someone the labels say is not there.
    let frameURL = clip.appendingPathComponent("frames/000017.pgm")
    var image = try PGM.decode([UInt8](Data(contentsOf: frameURL)))
    for y in 40..<50 { for x in 40..<50 { image.pixels[y * image.width + x] = 230 } }
    try Data(PGM.encode(image)).write(to: frameURL)
    try FileManager.default.removeItem(at: rig.reports)

    let after = try await rig.run(["run", suite.path, "--reports", rig.reports.path])
    #expect(after.status == 1, "the corrupted frame breaks the empty room's limits: \(after.stdout)")
    let changed = try RigCommand.csvRows(rig.runFolder().appendingPathComponent("artifacts/room/frames.csv"))
    #expect(original[17]["count"] == "0")
    #expect(changed[17]["count"] == "1")
    #expect(changed[17]["sent_crc32"] != original[17]["sent_crc32"])
    for index in original.indices where index != 17 {
      #expect(changed[index]["count"] == original[index]["count"], "frame \(index)")
    }
  }

  @Test("rig test runs one test and shows every frame as it is reported")
  func singleTest() async throws {
    let rig = try RigCommand()
    let result = try await rig.run(["test", "Fixtures/suites/demo.yaml", "corridor-light", "--reports", rig.reports.path])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    let frameLines = result.stdout.split(separator: "\n").filter { $0.contains("count ") && $0.contains(" label ") }
    #expect(frameLines.count == 120)
    #expect(result.stdout.contains("1 passed"))
  }

  @Test("rig test of a skipped test refuses (64) saying why it is skipped; --include-skipped runs it")
  func skippedTest() async throws {
    let rig = try RigCommand()
    _ = try rig.copyClip("empty-room")
    let suite = try rig.write(
      "skips.yaml",
      """
      suite: skips
      tests:
        - { name: room, clip: clips/empty-room, skip: "camera mount changed, relabel first" }
      """)
    let refused = try await rig.run(["test", suite.path, "room", "--reports", rig.reports.path])
    #expect(refused.status == 64, "\(refused.stdout)\n\(refused.stderr)")
    #expect(
      refused.stderr.contains(
        "test 'room' is skipped (\(suite.path):3:5: camera mount changed, relabel first); "
          + "rig test runs it only with --include-skipped"), "\(refused.stderr)")
    #expect(!FileManager.default.fileExists(atPath: rig.reports.path), "nothing was run")

    let forced = try await rig.run([
      "test", suite.path, "room", "--include-skipped", "--reports", rig.reports.path,
    ])
    #expect(forced.status == 0, "\(forced.stdout)\n\(forced.stderr)")
    #expect(forced.stdout.contains("1 passed, 0 failed, 0 errored, 0 skipped"), "\(forced.stdout)")
  }

  @Test("a second run on a locked rig is refused with exit 69, naming who holds it")
  func lockedRig() async throws {
    let rig = try RigCommand()
    let slow = try rig.simulatedRig(name: "locked", pace: 1)
    let first = try await rig.start(["run", "Fixtures/suites/demo.yaml", "--rig", slow.path, "--reports", rig.reports.path])
    let started = await TestProcess.eventually { first.stdout.contains("> empty-room") }
    #expect(started)
    let second = try await rig.run(["run", "Fixtures/suites/demo.yaml", "--rig", slow.path, "--reports", rig.reports.path])
    #expect(second.status == 69)
    #expect(second.stderr.contains("rig 'locked' is in use by pid \(first.pid)"))
    first.signal(SIGTERM)
    #expect(await first.wait() == 143)
  }
}

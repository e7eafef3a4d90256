// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

@Suite("rig validate, list and fixtures", .timeLimit(.minutes(TestTime.minutes(2))))
struct ConfigCommandTests {
  @Test("rig validate prints every mistake of a file with line:column and exits 78")
  func validateMistakes() async throws {
    let rig = try RigCommand()
    let suite = try rig.write(
      "bad.yaml",
      """
      suite: broken
      defaults:
        timout: 30s
        limits: { count.mae: 0.15, latency.p95: "<= 45" }
      tests:
        - { name: a, clip: ../Fixtures/clips/empty-room }
        - { name: a, clip: does-not-exist, retries: many }

      """)
    let result = try await rig.run(["validate", suite.path])
    #expect(result.status == 78)
    let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
    #expect(errors.count >= 5, "\(result.stderr)")
    #expect(result.stderr.contains("bad.yaml:3:3"), "unknown key 'timout' at its place")
    #expect(result.stderr.contains("did you mean 'timeout'"))
    #expect(result.stderr.contains("bad.yaml:4:24"), "bare number limit")
    #expect(result.stderr.contains("latency.p95_ms"), "did-you-mean for the metric")
    #expect(result.stderr.contains("bad.yaml:7:"), "duplicate name / missing clip / bad retries")
    #expect(result.stderr.contains("problems found"))
  }

  @Test("rig validate accepts the shipped suites and rigs")
  func validateShipped() async throws {
    let rig = try RigCommand()
    let result = try await rig.run([
      "validate", "Fixtures/suites/demo.yaml", "Fixtures/suites/regression.yaml", "Rigs/sim.yaml",
      "Rigs/sim-regression.yaml",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == 4)
  }

  @Test("rig list shows each test with its clip, frames and limits")
  func list() async throws {
    let rig = try RigCommand()
    let result = try await rig.run(["list", "Fixtures/suites/demo.yaml", "--tag", "smoke"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("empty-room  clip Fixtures/clips/empty-room (60 frames)"))
    #expect(!result.stdout.contains("corridor-busy"))
    #expect(result.stdout.contains("count.max_abs_error == 0"))
  }

  @Test("rig fixtures synth writes a clip that rig fixtures check accepts, the same bytes every time")
  func synthAndCheck() async throws {
    let rig = try RigCommand()
    let a = rig.scratch.appendingPathComponent("a").path
    let b = rig.scratch.appendingPathComponent("b").path
    for folder in [a, b] {
      let made = try await rig.run(["fixtures", "synth", folder, "--scenario", "corridor-busy", "--seed", "9", "--frames", "40"])
      #expect(made.status == 0, "\(made.stderr)")
    }
    let check = try await rig.run(["fixtures", "check", a])
    #expect(check.status == 0, "\(check.stderr)")
    for name in ["clip.yaml", "labels.csv", "frames/000039.pgm"] {
      let x = try Data(contentsOf: URL(fileURLWithPath: a).appendingPathComponent(name))
      let y = try Data(contentsOf: URL(fileURLWithPath: b).appendingPathComponent(name))
      #expect(x == y, "\(name)")
    }
  }

  @Test("rig fixtures check reports a truncated frame and a missing licence, exit 78")
  func checkBroken() async throws {
    let rig = try RigCommand()
    let clip = try rig.copyClip("empty-room")
    let frame = clip.appendingPathComponent("frames/000005.pgm")
    let bytes = try Data(contentsOf: frame)
    try bytes.prefix(100).write(to: frame)
    try FileManager.default.removeItem(at: clip.appendingPathComponent("LICENSE"))
    let result = try await rig.run(["fixtures", "check", clip.path])
    #expect(result.status == 78)
    #expect(result.stderr.contains("000005.pgm"))
    #expect(result.stderr.contains("LICENSE"))
  }

  @Test("usage errors exit 64")
  func usage() async throws {
    let rig = try RigCommand()
    let result = try await rig.run(["run"])
    #expect(result.status == 64)
  }
}

// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

/// `rig run --seed` and `RIG_SEED`: another night on the simulated bench without editing the rig.
@Suite("rig run --seed and RIG_SEED", .timeLimit(.minutes(TestTime.minutes(2))))
struct SeedOptionTests {
  /// A one-test suite on a copy of the empty-room clip, and a simulated rig (seed 42 in its file).
  private func setUp(_ rig: RigCommand) throws -> (suite: String, rig: String) {
    try rig.copyClip("empty-room")
    let suite = try rig.write(
      "seed.yaml", "suite: seed\ntests:\n  - { name: empty-room, clip: clips/empty-room, limits: { count.mae: \"<= 1\" } }\n")
    return (suite.path, try rig.simulatedRig(name: "sim-seed").path)
  }

  @Test("--seed, else RIG_SEED, else the rig file's seed drives the simulated bench")
  func seedSources() async throws {
    let rig = try RigCommand()
    let (suite, rigFile) = try setUp(rig)
    let base = ["run", suite, "--rig", rigFile, "--reports", rig.reports.path]
    let fromFile = try await rig.run(base)
    #expect(fromFile.status == 0, "\(fromFile.stdout)\n\(fromFile.stderr)")
    #expect(fromFile.stdout.contains("simulated bench (seed 42)"))
    let fromOption = try await rig.run(base + ["--seed", "7"], environment: ["RIG_SEED": "8"])
    #expect(fromOption.stdout.contains("simulated bench (seed 7)"), "\(fromOption.stdout)")
    let fromEnvironment = try await rig.run(base, environment: ["RIG_SEED": "8"])
    #expect(fromEnvironment.stdout.contains("simulated bench (seed 8)"), "\(fromEnvironment.stdout)")
  }

  @Test("a RIG_SEED that is not a number, or --seed for real hardware, is a usage error (64)")
  func usageErrors() async throws {
    let rig = try RigCommand()
    let (suite, rigFile) = try setUp(rig)
    let bad = try await rig.run(["run", suite, "--rig", rigFile, "--reports", rig.reports.path], environment: ["RIG_SEED": "tuesday"])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("RIG_SEED=tuesday is not a seed: use a whole number"))
    let hardware = try await rig.run([
      "run", suite, "--rig", "Rigs/sim-hardware.yaml", "--seed", "3", "--reports", rig.reports.path,
    ])
    #expect(hardware.status == 64)
    #expect(hardware.stderr.contains("--seed applies to the simulated bench; sim-hardware"))
    #expect(!FileManager.default.fileExists(atPath: rig.reports.path), "nothing was run")
  }
}

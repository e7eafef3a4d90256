// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigTestSupport
import Testing

@testable import RigCore
import RigSystem
@testable import rig

@Suite("built-in rig, swapped arguments, help text, rig test lines", .timeLimit(.minutes(TestTime.minutes(2))))
struct BuiltInRigTests {
  @Test("the built-in rig is Rigs/sim.yaml word for word")
  func sameAsFile() throws {
    let file = RigCommand.repositoryRoot.appendingPathComponent("Rigs/sim.yaml")
    #expect(RigLoader.builtInSimYAML == (try String(contentsOf: file, encoding: .utf8)))
    let builtIn = try RigLoader.load(reference: "sim", files: LocalFileAccess())
    #expect(RigLoader.isBuiltIn(builtIn))
    #expect(builtIn.name == "sim" && builtIn.simulation?.seed == 42)
  }

  @Test("rig run works outside the repository, with the built-in rig, and --rig sim names it")
  func outsideRepository() async throws {
    let rig = try RigCommand()
    _ = try rig.copyClip("empty-room")
    let suite = try rig.write(
      "suite.yaml", "suite: s\ntests:\n  - { name: a, clip: clips/empty-room }\n")
    for extra in [[], ["--rig", "sim"]] {
      let child = try await TestProcess(
        RigCommand.executable, ["run", suite.path, "--reports", rig.reports.path] + extra,
        in: rig.scratch, environment: rig.environment)
      let status = await child.wait()
      #expect(status == 0, "\(extra): \(child.stdout)\(child.stderr)")
      #expect(child.stdout.contains("on 'sim' (simulated bench"), "\(child.stdout)")
    }
  }

  @Test("every one-rig command has rig run's default: without --rig, the built-in rig outside the repository")
  func oneDefault() async throws {
    let rig = try RigCommand()
    func run(_ arguments: [String]) async throws -> (status: Int32?, output: String) {
      let child = try await TestProcess(
        RigCommand.executable, arguments, in: rig.scratch, environment: rig.environment)
      let status = await child.wait()
      return (status, child.stdout + child.stderr)
    }
    let doctor = try await run(["doctor"])
    #expect(doctor.status == 0 && doctor.output.contains("rig file built-in:sim"), "\(doctor.output)")
    // Power needs hardware: the default rig is refused for what it is, not for a missing option.
    let power = try await run(["power", "on"])
    #expect(power.status == 64, "\(power.output)")
    #expect(power.output.contains("built-in:sim describes the simulated bench"), "\(power.output)")
    let selftest = try await run(["emulator", "selftest", "--frames", "5"])
    #expect(selftest.status == 0 && selftest.output.contains("of rig 'sim' (simulated"), "\(selftest.output)")
  }

  @Test("a rig file given as the suite, or a suite as the rig, is named as such in one issue")
  func swapped() async throws {
    let rig = try RigCommand()
    let result = try await rig.run([
      "run", "Rigs/sim.yaml", "--rig", "Fixtures/suites/demo.yaml", "--reports", rig.reports.path,
    ])
    #expect(result.status == 78)
    let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
    #expect(
      errors == [
        "error: Rigs/sim.yaml:4:1: this looks like a rig file (rig:), not a suite (give the suite "
          + "first and the rig with --rig, such as rig run suite.yaml --rig Rigs/sim.yaml)",
        "error: Fixtures/suites/demo.yaml:3:1: this looks like a suite file (suite:, tests:), not "
          + "a rig (the suite is the first argument; --rig takes a rig file or sim)",
      ], "\(result.stderr)")
  }

  @Test("every command's help wraps as paragraphs: no line break inside one")
  func helpParagraphs() {
    func check(_ command: any ParsableCommand.Type, path: String) {
      let configuration = command.configuration
      #expect(!configuration.abstract.contains("\n"), "\(path) abstract")
      for paragraph in configuration.discussion.components(separatedBy: "\n\n") {
        #expect(!paragraph.contains("\n"), "\(path): \(paragraph.prefix(60))")
      }
      for sub in configuration.subcommands {
        check(sub, path: path + " " + (sub.configuration.commandName ?? "\(sub)"))
      }
    }
    check(Rig.self, path: "rig")
  }

  @Test("rig flash --help states the default rig once")
  func flashHelp() async throws {
    let result = try await RigCommand().run(["flash", "--help"])
    #expect(result.stdout.components(separatedBy: "Rigs/sim.yaml").count == 2, "\(result.stdout)")
  }

  @Test("rig test prints each frame's CRC as 8 hex digits, zero-padded")
  func crcPadding() async throws {
    let rig = try RigCommand()
    let result = try await rig.run([
      "test", "Fixtures/suites/demo.yaml", "empty-room", "--reports", rig.reports.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let crcs = result.stdout.split(separator: "\n").compactMap { line in
      line.range(of: "crc ").map { line[$0.upperBound...].prefix { $0 != " " } }
    }
    #expect(crcs.count == 60)
    #expect(crcs.allSatisfy { $0.count == 8 && $0.allSatisfy(\.isHexDigit) }, "\(crcs)")
  }
}

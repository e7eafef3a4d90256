// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

/// Every fault rig claims to survive (DESIGN §9, docs/simulated-bench.md §5 and §6,
/// docs/flashing.md) and every signal that ends a run, each in a real `rig run`, checked against
/// the same invariants (`RunEvidence`): the documented exit status, the bench left off, each
/// test's outcome the same in the three reports, no test blamed on the DUT for a cause outside it,
/// and the run going on to the test after the fault.
///
/// `swift test` runs a representative case of each family; `Scripts/fault-matrix` runs them all
/// (`RIG_FAULT_MATRIX=full`).
@Suite("fault matrix", .timeLimit(.minutes(TestTime.minutes(3))))
struct FaultMatrixTests {
  /// One fault, injected into the first of two tests (`faulted`, then `after`).
  struct Fault: CustomTestStringConvertible, Sendable {
    enum Family: String, Sendable { case board, emulator, flash }
    let family: Family
    let kind: String
    /// The YAML of the fault as its family writes it (a board or flash fault in the rig file, an
    /// emulator fault in the suite).
    let entry: String
    /// Whether the DUT itself misbehaves, so that an error blaming it is right.
    let dutAtFault: Bool
    /// Whether a flash fault is one the flasher's retries recover from.
    var recovered = false
    /// Part of the `swift test` subset.
    var representative = false

    var testDescription: String { "\(family.rawValue) \(kind)" }
  }

  static let faults: [Fault] = board + emulator + flash

  static let board: [Fault] = [
    ("hang", true), ("reset", true), ("garbage", false), ("corrupt_record", false), ("stale_record", false),
    ("corrupt_frame", false), ("repeat_frame", true), ("slowdown", true), ("miscount", true),
  ].map { kind, dut in
    let factor = kind == "slowdown" ? ", factor: 1.5" : kind == "miscount" ? ", factor: 1" : ""
    return Fault(
      family: .board, kind: kind, entry: "{ kind: \(kind), test: faulted, frame: 20\(factor) }", dutAtFault: dut,
      representative: kind == "hang")
  }

  static let emulator: [Fault] = [
    ("corrupt_byte", ", parameter: 4000"), ("len_zero", ""), ("len_oversize", ""), ("len_wrong", ", parameter: 4608"),
    ("truncate", ", parameter: 2000"), ("capdone_stuck", ""), ("testreg_fail", nil), ("i2c_nack", nil),
  ].map { kind, parameter in
    Fault(
      family: .emulator, kind: kind,
      entry: parameter.map { "{ kind: \(kind), frame: 20\($0) }" } ?? "{ kind: \(kind) }", dutAtFault: false,
      representative: kind == "capdone_stuck")
  }

  static let flash: [Fault] = [
    Fault(family: .flash, kind: "nak (transient)", entry: "{ kind: nak, command: write_memory, frame: 1, times: 2 }",
          dutAtFault: false, recovered: true),
    Fault(family: .flash, kind: "crc_error (transient)", entry: "{ kind: crc_error, command: read_memory, frame: 1, times: 1 }",
          dutAtFault: false, recovered: true),
    Fault(family: .flash, kind: "nak", entry: "{ kind: nak, command: write_memory, frame: 1, times: 0 }", dutAtFault: false),
    Fault(family: .flash, kind: "no_answer", entry: "{ kind: no_answer, command: flash_erase_region, times: 0 }",
          dutAtFault: false, representative: true),
    Fault(family: .flash, kind: "erase_failed", entry: "{ kind: erase_failed, times: 0 }", dutAtFault: false),
    Fault(family: .flash, kind: "write_failed", entry: "{ kind: write_failed, times: 0 }", dutAtFault: false),
    Fault(family: .flash, kind: "verify_mismatch", entry: "{ kind: verify_mismatch, times: 0 }", dutAtFault: false),
    Fault(family: .flash, kind: "flashloader_silent", entry: "{ kind: flashloader_silent, times: 0 }", dutAtFault: false),
  ]

  static let signals: [(Int32, String)] = [
    (SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP"), (SIGPIPE, "SIGPIPE"), (SIGQUIT, "SIGQUIT"),
  ]

  static let full = ProcessInfo.processInfo.environment["RIG_FAULT_MATRIX"] == "full"

  @Test("a fault in one test: exit as documented, bench off, three reports agree, the next test runs",
        arguments: full ? faults : faults.filter(\.representative))
  func fault(_ fault: Fault) async throws {
    let rig = try RigCommand()
    let clip = RigCommand.repositoryRoot.appendingPathComponent("Fixtures/clips/empty-room").path
    let emulatorFaults = fault.family == .emulator ? "\n    emulator_faults: [\(fault.entry)]" : ""
    let firmware = fault.family == .flash
      ? "firmware: { image: \(RigCommand.repositoryRoot.path)/Fixtures/firmware/demo-counting.hex }\n" : ""
    let suite = try rig.write(
      "suite.yaml",
      """
      suite: fault-matrix
      \(firmware)defaults: { timeout: 30s }
      tests:
        - name: faulted
          clip: \(clip)\(emulatorFaults)
        - name: after
          clip: \(clip)

      """)
    let settings: String
    switch fault.family {
    case .board: settings = "  faults: [\(fault.entry)]"
    case .emulator: settings = ""
    case .flash: settings = "  flash: { baud: 0, faults: [\(fault.entry)] }"
    }
    let rigFile = try rig.simulatedRig(name: "matrix", extra: settings)
    let result = try await rig.run(["run", suite.path, "--rig", rigFile.path, "--reports", rig.reports.path])
    let evidence = try RunEvidence(rig.runFolder())
    let problems = evidence.problems(status: result.status, dutAtFault: fault.dutAtFault)
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n\(result.stdout)\n\(result.stderr)")

    let outcomes = evidence.fromResults
    #expect(outcomes.map(\.name) == ["faulted", "after"])
    if fault.family == .flash && !fault.recovered {
      // The image the suite names could not be written: no test may pass on another one.
      #expect(outcomes.allSatisfy { $0.verdict == "errored" }, "\(outcomes)")
    } else {
      #expect(outcomes.last?.verdict == "passed", "the run goes on after the fault: \(outcomes)")
    }
    Self.record(fault.testDescription, result.status, outcomes)
  }

  @Test("a signal mid-test: exit 128+n, bench off, three reports agree, nothing blamed on the DUT",
        arguments: full ? signals.map(\.1) : ["SIGHUP"])
  func signal(_ name: String) async throws {
    let signal = try #require(Self.signals.first { $0.1 == name }?.0)
    let rig = try RigCommand()
    let slow = try rig.simulatedRig(name: "matrix-\(name)", pace: 1)
    let run = try await rig.start(["run", "Fixtures/suites/demo.yaml", "--rig", slow.path, "--reports", rig.reports.path])
    // Once the second test streams frames, so that one test completed before the signal.
    let streaming = await TestProcess.eventually(within: .seconds(60)) {
      guard let folder = try? rig.runFolder() else { return false }
      let log = (try? String(
        contentsOf: folder.appendingPathComponent("artifacts/corridor-light/console.log"), encoding: .utf8)) ?? ""
      return log.components(separatedBy: "~T1 frame ").count > 4
    }
    #expect(streaming, "\(run.stdout)\n\(run.stderr)")
    run.signal(signal)
    let status = await run.wait()
    let evidence = try RunEvidence(rig.runFolder())
    let problems = evidence.problems(status: status, signal: signal, dutAtFault: false)
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n\(run.stdout)\n\(run.stderr)")
    #expect(evidence.fromEvents.first?.name == "empty-room" && evidence.fromEvents.first?.verdict == "passed")
    Self.record(name, status, evidence.fromResults)
  }

  /// With `RIG_FAULT_MATRIX_LOG` set, appends the case's outcome there (Scripts/fault-matrix
  /// prints the table docs/testing.md quotes).
  static func record(_ name: String, _ status: Int32?, _ outcomes: [RunEvidence.Outcome]) {
    guard let path = ProcessInfo.processInfo.environment["RIG_FAULT_MATRIX_LOG"] else { return }
    let tests = outcomes.map { "\($0.name) \($0.verdict)" + ($0.errorType.map { " [\($0)]" } ?? "") }
    let line = "\(name)\t\(status.map(String.init) ?? "-")\t\(tests.joined(separator: ", "))\n"
    guard let handle = FileHandle(forWritingAtPath: path) ?? {
      FileManager.default.createFile(atPath: path, contents: nil)
      return FileHandle(forWritingAtPath: path)
    }() else { return }
    handle.seekToEndOfFile()
    handle.write(Data(line.utf8))
    try? handle.close()
  }
}

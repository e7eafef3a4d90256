// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSimulator
import RigTestSupport
import Testing

/// Each test's console output belongs to that test alone: its results `log`, its console.log and
/// the console lines its messages quote.
@Suite("runner: each test's console log is its own", .timeLimit(.minutes(TestTime.minutes(1))))
struct RunnerConsoleLogTests {
  @Test("noise and a damaged record in one test do not appear in the logs of the clean tests after it")
  func logsDoNotLeak() async throws {
    let h = try RunnerHarness(
      suite: """
        suite: noisy-then-clean
        tests:
          - { name: noisy, clip: CLIPS/empty-room }
          - { name: clean, clip: CLIPS/empty-room }
          - { name: cleaner, clip: CLIPS/empty-room }
        """,
      simulated: """
          faults:
            - { kind: garbage, test: noisy, frame: 5 }
            - { kind: corrupt_record, test: noisy, frame: 9 }
        """)
    let result = await h.start().value
    #expect(result.tests.map(\.name) == ["noisy", "clean", "cleaner"])
    let noisy = result.tests[0]
    #expect(noisy.log.contains("[damaged record"), "\(noisy.log)")
    for clean in result.tests.dropFirst() {
      #expect(clean.frames.badChecksum == 0)
      #expect(!clean.log.contains("[damaged record"), "\(clean.name): \(clean.log)")
      #expect(clean.log.isEmpty, "\(clean.name) printed nothing but records: \(clean.log)")
      let consoleLog = try String(
        contentsOf: h.plan.reportDirectory.appendingPathComponent("artifacts/\(clean.name)/console.log"),
        encoding: .isoLatin1)
      #expect(consoleLog.contains("~T1 frame"), "its own records are in its console.log")
    }
    await h.close()
  }
}

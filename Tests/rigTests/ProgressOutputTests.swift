// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// What `rig run` prints as it goes when its output is not a terminal (a CI log).
@Suite("rig run's progress in a log", .timeLimit(.minutes(3)))
struct ProgressOutputTests {
  @Test("plain ASCII: each test's start with its frames, its verdict, no symbols or escapes")
  func plain() async throws {
    let rig = try RigCommand()
    let result = try await rig.run([
      "run", "Fixtures/suites/regression.yaml", "--rig", "Rigs/sim-regression.yaml", "--reports", rig.reports.path,
    ])
    #expect(result.status == 2)
    #expect(result.stdout.contains("> corridor-light: 120 frames\n"))
    #expect(result.stdout.contains("  FAILED corridor-light in "))
    #expect(result.stdout.contains(" - 3 limits violated: count.exact_match, count.mae, latency.p95_ms\n"))
    #expect(result.stdout.contains("suite 'people-counting-regression' - 3 tests, 380 frames - on 'sim-regression'"))
    for symbol in ["\u{25B6}", "\u{2014}", "\u{1B}", "\r"] {
      #expect(!result.stdout.contains(symbol), "\(symbol.unicodeScalars.first!.value)")
    }
  }
}

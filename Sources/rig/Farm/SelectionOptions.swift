// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem

/// What CI adds to `--only` and `--tag` when choosing a run's tests: one shard of them, what
/// failed last time, a quarantine list of known-bad tests, and more time for a slow host.
struct SelectionOptions: ParsableArguments {
  @Option(
    name: .long,
    help: """
      Run shard K of N (such as 2/5): a deterministic share of the selected tests, balanced by \
      expected duration; 'rig report merge' joins the shards' run folders (docs/ci.md).
      """)
  var shard: String?

  @Option(
    name: .customLong("only-failed"),
    help: "Run only the tests that failed or errored in this earlier run folder (Reports/<run-id>).")
  var onlyFailed: String?

  @Option(
    name: .long,
    help: "Quarantine list of known-bad tests (YAML): they are reported as skipped with its reason.")
  var quarantine: String?

  @Option(
    name: .customLong("timeout-multiplier"),
    help: "Multiply every deadline (test timeouts, boot, command and hang timeouts) by this, for a slow host.")
  var timeoutMultiplier: Double?

  /// The tests of a run after all of it, and what to record about how they were chosen.
  struct Choice {
    var tests: [TestCase]
    /// `shard`, `shard.planned_tests`, `only_failed`, `quarantine.file`, `timeout.multiplier`.
    var properties: [RunResult.Property] = []
    /// Why nothing is left to run, when nothing is (`--only-failed` of a run where all passed).
    var nothingToRun: String?
  }

  /// The shard asked for, checked.
  func parsedShard() throws(RigError) -> Shard? {
    try shard.map { text throws(RigError) in try Shard(parsing: text) }
  }

  /// Narrows `tests` (already chosen by `--only` / `--tag`) of `suite`.
  func choose(from tests: [TestCase], of suite: Suite) throws -> Choice {
    var choice = Choice(tests: tests)
    if let multiplier = timeoutMultiplier, !(multiplier > 0 && multiplier <= 100) {
      throw RigError(.usage, "--timeout-multiplier \(multiplier): give a factor above 0 and at most 100, such as 2")
    }
    if let folder = onlyFailed {
      let (earlierSuite, failed) = try FailedTests.names(in: URL(fileURLWithPath: folder))
      if earlierSuite != suite.name {
        throw RigError(
          .usage, "--only-failed \(folder) is a run of suite '\(earlierSuite)', not '\(suite.name)'")
      }
      let gone = failed.filter { name in !suite.tests.contains { $0.name == name } }
      if !gone.isEmpty {
        Terminal.error("warning: --only-failed: \(gone.joined(separator: ", ")) failed in \(folder) but \(gone.count == 1 ? "is" : "are") no longer in the suite")
      }
      choice.tests = choice.tests.filter { failed.contains($0.name) }
      choice.properties.append(.init("only_failed", folder))
      if choice.tests.isEmpty {
        choice.nothingToRun = "nothing to re-run: no selected test failed or errored in \(folder)"
      }
    }
    if let file = quarantine {
      let list = try KnownBadTests.load(URL(fileURLWithPath: file), files: LocalFileAccess())
      let unknown = list.unknownNames(in: suite.tests)
      if !unknown.isEmpty {
        Terminal.error("warning: \(file) names tests this suite does not have: \(unknown.joined(separator: ", "))")
      }
      choice.tests = list.apply(to: choice.tests)
      choice.properties.append(.init("quarantine.file", list.file.displayPath))
    }
    if let shard = try parsedShard() {
      choice.properties += [.init("shard", shard.description), .init("shard.planned_tests", "\(choice.tests.count)")]
      choice.tests = shard.select(choice.tests)
      if choice.tests.isEmpty && choice.nothingToRun == nil {
        choice.nothingToRun = "shard \(shard) has no test: the suite has fewer selected tests than shards"
      }
    }
    if let multiplier = timeoutMultiplier {
      choice.properties.append(.init("timeout.multiplier", MetricFormat.number(multiplier)))
      for index in choice.tests.indices { choice.tests[index].timeout = scale(choice.tests[index].timeout, multiplier) }
    }
    return choice
  }

  /// `rig` with its deadlines multiplied by `--timeout-multiplier`.
  func scaled(_ rig: RigConfiguration) -> RigConfiguration {
    guard let multiplier = timeoutMultiplier else { return rig }
    var rig = rig
    rig.timing.bootTimeout = scale(rig.timing.bootTimeout, multiplier)
    rig.timing.commandTimeout = scale(rig.timing.commandTimeout, multiplier)
    rig.timing.hangTimeout = scale(rig.timing.hangTimeout, multiplier)
    return rig
  }

  private func scale(_ duration: Duration, _ factor: Double) -> Duration {
    .milliseconds((duration.seconds * factor * 1000).rounded())
  }
}

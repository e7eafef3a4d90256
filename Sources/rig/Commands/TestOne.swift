// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore

extension Rig {
  /// Manual single-test mode: one test, every frame shown as it is reported.
  struct TestOne: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "test",
      abstract: "Run one test of a suite by hand, showing every frame live.",
      discussion: """
        The run is reported like any other, in Reports/<run-id>/. A test the suite skips (skip:) \
        is refused (exit 64, with the reason) unless --include-skipped is given.
        """)

    @Argument(help: "Suite file (YAML).")
    var suite: String

    @Argument(help: "Name of the test to run.")
    var test: String

    @OptionGroup var options: RunOptions

    @Flag(name: .long, help: "Run the test even if the suite skips it (skip:).")
    var includeSkipped = false

    @Flag(
      name: .shortAndLong,
      help: "Also show on standard error what the hardware layer chooses (serial implementation per port, power commands).")
    var verbose = false

    func run() async throws {
      let progress = ProgressPrinter(verbose: true)
      let session = RunSession(
        suiteFile: URL(fileURLWithPath: suite), options: options, only: [test],
        frameObserver: { name, outcome in
          progress.frame(name, outcome)
        },
        progress: progress, verbose: verbose, runsSkipped: includeSkipped)
      throw await session.execute()
    }
  }
}

// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem

extension Rig {
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the tests of a suite with their clips, tags and limits.",
      discussion: """
        With the selection options of rig run, it lists what that run would run: --shard 2/5 \
        shows the second of five shards' tests, --json prints the plan for scripts (docs/ci.md).
        """)

    @Argument(help: "Suite file (YAML).")
    var suite: String

    @Option(name: .long, parsing: .upToNextOption, help: "Show only tests with any of these tags.")
    var tag: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Show only these tests (names; repeat or list).")
    var only: [String] = []

    @OptionGroup var selection: SelectionOptions

    @Flag(name: .long, help: "Print the test plan as JSON.")
    var json = false

    func run() throws {
      do {
        let loaded = try SuiteLoader.load(URL(fileURLWithPath: suite), files: LocalFileAccess())
        let tags = tag.flatMap { $0.split(separator: ",").map(String.init) }
        let names = only.flatMap { $0.split(separator: ",").map(String.init) }
        let chosen = tags.isEmpty && names.isEmpty
          ? loaded.tests : try TestSelection.select(loaded.tests, only: names, tags: tags)
        let choice = try selection.choose(from: chosen, of: loaded)
        if json {
          Terminal.out(try TestPlanDocument(suite: loaded, choice: choice, shard: try selection.parsedShard()).json())
          return
        }
        let tests = choice.tests
        let shard = try selection.parsedShard().map { " (shard \($0))" } ?? ""
        Terminal.out("suite '\(loaded.name)' (\(loaded.file.displayPath)): \(tests.count) test\(tests.count == 1 ? "" : "s")\(shard)")
        for test in tests {
          var line = "  \(test.name)  clip \(test.clip.directory.displayPath) (\(test.clip.frameCount) frames)"
          if !test.tags.isEmpty { line += "  tags \(test.tags.joined(separator: ","))" }
          if !test.requires.isEmpty { line += "  requires \(test.requires.joined(separator: ","))" }
          line += "  timeout \(test.timeout)"
          if test.retries > 0 { line += "  retries \(test.retries)" }
          if let skip = test.skipReason { line += "  SKIPPED: \(skip)" }
          Terminal.out(line)
          if !test.limits.isEmpty {
            Terminal.out("      limits: " + test.limits.map(\.description).joined(separator: ", "))
          }
        }
      } catch {
        throw Failure.exit(error)
      }
    }
  }
}

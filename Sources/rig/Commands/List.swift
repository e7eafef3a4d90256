// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem

extension Rig {
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the tests of a suite with their clips, tags and limits.")

    @Argument(help: "Suite file (YAML).")
    var suite: String

    @Option(name: .long, parsing: .upToNextOption, help: "Show only tests with any of these tags.")
    var tag: [String] = []

    func run() throws {
      do {
        let loaded = try SuiteLoader.load(URL(fileURLWithPath: suite), files: LocalFileAccess())
        let tags = tag.flatMap { $0.split(separator: ",").map(String.init) }
        let tests = tags.isEmpty ? loaded.tests : try TestSelection.select(loaded.tests, only: [], tags: tags)
        Terminal.out("suite '\(loaded.name)' (\(loaded.file.displayPath)): \(tests.count) test\(tests.count == 1 ? "" : "s")")
        for test in tests {
          var line = "  \(test.name)  clip \(test.clip.directory.displayPath) (\(test.clip.frameCount) frames)"
          if !test.tags.isEmpty { line += "  tags \(test.tags.joined(separator: ","))" }
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

// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem

extension Rig {
  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check suite and rig files, and every clip they use, reporting all problems at once.",
      discussion: "Exit code 0 when everything is valid, 78 when anything is wrong.")

    @Argument(help: "Suite and rig files (a file with a top-level 'rig:' key is a rig file).")
    var files: [String]

    func run() throws {
      var issues: [ConfigIssue] = []
      var summaries: [String] = []
      for path in files {
        let url = URL(fileURLWithPath: path)
        do {
          if Self.isRigFile(url) {
            let rig = try RigLoader.load(url, files: LocalFileAccess())
            summaries.append("\(url.displayPath): rig '\(rig.name)' (\(rig.board))")
          } else {
            let suite = try SuiteLoader.load(url, files: LocalFileAccess())
            let frames = suite.tests.reduce(0) { $0 + $1.clip.frameCount }
            summaries.append("\(url.displayPath): suite '\(suite.name)', \(suite.tests.count) tests, \(frames) frames")
          }
        } catch {
          issues += error.issues
        }
      }
      if !issues.isEmpty { throw Failure.exit(ConfigError(issues)) }
      for line in summaries { Terminal.out("ok  \(line)") }
    }

    /// A rig file is recognised by its top-level `rig:` key in the first lines; a rig file
    /// read as a suite anyway is reported as one (`FileKindGuess`).
    static func isRigFile(_ url: URL) -> Bool {
      guard let head = try? LocalFileAccess().readPrefix(url.path, count: 4096) else { return false }
      return String(decoding: head, as: UTF8.self).split(separator: "\n").contains {
        $0.hasPrefix("rig:")
      }
    }
  }
}

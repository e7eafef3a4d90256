// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing
import Yams

/// The CI examples in docs/ci/ are files people copy: each must parse as what it claims to be,
/// carry the parts docs/ci.md promises, and every rig command in it must be one rig accepts
/// (its options in that command's --help, the repository files it names present).
@Suite("CI examples in docs/ci/", .timeLimit(.minutes(TestTime.minutes(2))))
struct CIExamplesTests {
  static let folder = RigCommand.repositoryRoot.appendingPathComponent("docs/ci")

  static func text(_ name: String) throws -> String {
    try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
  }

  static func yaml(_ name: String) throws -> [String: Any] {
    let document = try Yams.load(yaml: try text(name))
    return try #require(document as? [String: Any], "\(name) is not a YAML mapping")
  }

  @Test("the GitLab CI nightly: a schedule, runner tags and a resource_group per bench, JUnit published, exit 3 a warning")
  func gitlab() throws {
    let root = try Self.yaml("gitlab-ci.yml")
    let keywords: Set = ["stages", "variables", "workflow", "default", "include"]
    let jobs = root.keys.filter { !$0.hasPrefix(".") && !keywords.contains($0) }
    #expect(jobs.count == 3, "two bench jobs and a merge job: \(jobs.sorted())")
    let rules = try #require((root["workflow"] as? [String: Any])?["rules"] as? [[String: Any]])
    #expect(rules.contains { ($0["if"] as? String)?.contains("schedule") == true })
    for name in ["nightly:evk-01", "nightly:teensy-01"] {
      let job = try #require(root[name] as? [String: Any], "\(name)")
      #expect((job["tags"] as? [String])?.first?.hasPrefix("rig-") == true, "\(name) runs on its bench's runner")
      #expect((job["resource_group"] as? String)?.isEmpty == false, "\(name) holds its board")
      let variables = try #require(job["variables"] as? [String: Any])
      #expect(FileManager.default.fileExists(atPath: RigCommand.repositoryRoot.appendingPathComponent(variables["RIG_FILE"] as? String ?? "").path))
    }
    let merge = try #require(root["merge"] as? [String: Any])
    let reports = (merge["artifacts"] as? [String: Any])?["reports"] as? [String: Any]
    #expect(reports?["junit"] as? String == "Reports/nightly/junit.xml")
    let template = try #require(root[".nightly-shard"] as? [String: Any])
    #expect(((template["allow_failure"] as? [String: Any])?["exit_codes"] as? [Int]) == [3])
  }

  @Test("the GitHub Actions workflow: self-hosted runner, a concurrency group per bench, JUnit published")
  func github() throws {
    let root = try Self.yaml("github-actions.yml")
    #expect((root["on"] as? [String: Any])?["schedule"] != nil)
    #expect(((root["concurrency"] as? [String: Any])?["group"] as? String) == "rig-evk-01")
    let job = try #require((root["jobs"] as? [String: Any])?["nightly"] as? [String: Any])
    #expect((job["runs-on"] as? [String])?.contains("self-hosted") == true)
    let steps = try #require(job["steps"] as? [[String: Any]])
    #expect(steps.contains { ($0["uses"] as? String)?.hasPrefix("mikepenz/action-junit-report") == true })
  }

  @Test("the Jenkinsfile: balanced blocks, a lockable resource around the run, the junit step")
  func jenkins() throws {
    let text = try Self.text("Jenkinsfile")
    #expect(Self.blocksBalance(text), "braces and parentheses pair up outside strings and comments")
    for part in ["pipeline {", "agent {", "triggers { cron(", "lock(resource: ", "junit testResults: 'Reports/*/junit.xml'"] {
      #expect(text.contains(part), "missing \(part)")
    }
  }

  @Test("the systemd units: sections and key=value lines only, a oneshot service and a timer that starts it")
  func systemd() throws {
    let service = try Self.units("rig-nightly.service")
    #expect(service["Service"]?["Type"] == ["oneshot"])
    #expect(service["Service"]?["ExecStart"]?.count == 1)
    let timer = try Self.units("rig-nightly.timer")
    #expect(timer["Timer"]?["OnCalendar"]?.isEmpty == false)
    #expect(timer["Install"]?["WantedBy"] == ["timers.target"])
  }

  @Test("every rig command in the examples is one rig accepts: its options exist, the files it names exist")
  func commands() async throws {
    let rig = try RigCommand()
    var found = 0
    var helps: [String: Set<String>] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted() {
      for command in try Self.rigCommands(in: Self.text(name)) {
        found += 1
        let path = Self.subcommand(command)
        let key = path.joined(separator: " ")
        if helps[key] == nil {
          let help = try await rig.run(path + ["--help"])
          #expect(help.status == 0, "rig \(key) --help: \(help.stderr)")
          helps[key] = Self.options(in: help.stdout)
        }
        for word in command.dropFirst(path.count) {
          if word.hasPrefix("--") {
            let option = String(word.split(separator: "=")[0])
            #expect(helps[key]?.contains(option) == true, "\(name): rig \(key) has no \(option)")
          } else if Self.isRepositoryPath(word) {
            let exists = FileManager.default.fileExists(atPath: RigCommand.repositoryRoot.appendingPathComponent(word).path)
            #expect(exists, "\(name): rig \(key) names \(word), which is not in the repository")
          }
        }
      }
    }
    #expect(found >= 9, "the examples run rig: found \(found) commands")
  }

  // MARK: Reading the examples

  /// The rig commands of a file, as words: lines that are not comments, continuations joined,
  /// each command cut at a shell operator or the quote that ends it.
  static func rigCommands(in text: String) -> [[String]] {
    let lines = text.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n")
    var commands: [[String]] = []
    // A command may sit inside a quoted string (a Jenkinsfile's sh '…'): each quoted part is
    // read as a line of its own too.
    let pieces = lines.flatMap { line -> [String] in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("#") || trimmed.hasPrefix("//") { return [] }
      let quoted = line.split(separator: "'", omittingEmptySubsequences: false).enumerated()
        .filter { $0.offset % 2 == 1 }.map { String($0.element) }
      return [String(line)] + quoted
    }
    for line in pieces {
      let words = shellWords(line)
      for (index, word) in words.enumerated() where word == "$RIG" || word == "rig" || word.hasSuffix("/rig") {
        var command = ["rig"]
        for next in words[(index + 1)...] {
          if ["||", "&&", ";", "|", ">", "2>", ")"].contains(next) { break }
          command.append(next)
        }
        if command.count > 1, ["run", "health", "list", "report", "validate", "test"].contains(command[1]) {
          commands.append(command)
        }
      }
    }
    return commands
  }

  /// Words as a shell splits them (quotes removed; an unmatched quote ends the command).
  static func shellWords(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    for character in line {
      if let open = quote {
        if character == open { quote = nil } else { current.append(character) }
      } else if character == "'" || character == "\"" {
        quote = character
      } else if character == " " || character == "\t" {
        if !current.isEmpty { words.append(current) }
        current = ""
      } else {
        current.append(character)
      }
    }
    if !current.isEmpty { words.append(current) }
    return words
  }

  /// `["report", "merge"]` or `["run"]`: the words naming the subcommand.
  static func subcommand(_ command: [String]) -> [String] {
    command.count > 2 && command[1] == "report" && command[2] == "merge" ? ["report", "merge"] : [command[1]]
  }

  static func options(in help: String) -> Set<String> {
    var found = Set<String>()
    let pattern = /--[a-z][a-z0-9-]*/
    for match in help.matches(of: pattern) { found.insert(String(match.output)) }
    return found
  }

  /// A path into the repository that must exist: no variable, glob or absolute path.
  static func isRepositoryPath(_ word: String) -> Bool {
    guard !word.contains("$"), !word.contains("*"), !word.hasPrefix("/"), !word.hasPrefix("-") else { return false }
    return ["Rigs/", "Fixtures/", "docs/"].contains { word.hasPrefix($0) }
  }

  static func blocksBalance(_ text: String) -> Bool {
    var stack: [Character] = []
    var quote: Character?
    var previous: Character = " "
    var comment = false
    for character in text {
      if comment {
        if character == "\n" { comment = false }
      } else if let open = quote {
        if character == open { quote = nil }
      } else if character == "/" && previous == "/" {
        comment = true
      } else if character == "'" || character == "\"" {
        quote = character
      } else if "{(".contains(character) {
        stack.append(character)
      } else if character == "}" || character == ")" {
        guard stack.popLast() == (character == "}" ? "{" : "(") else { return false }
      }
      previous = character
    }
    return stack.isEmpty && quote == nil
  }

  /// A unit file's sections, each key with its values in order; fails on any other line.
  static func units(_ name: String) throws -> [String: [String: [String]]] {
    var sections: [String: [String: [String]]] = [:]
    var current: String?
    for (number, raw) in try text(name).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("[") && line.hasSuffix("]") {
        current = String(line.dropFirst().dropLast())
        continue
      }
      let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
      let section = try #require(current, "\(name):\(number + 1): a key before any [Section]")
      try #require(parts.count == 2 && parts[0].allSatisfy { $0.isLetter || $0.isNumber }, "\(name):\(number + 1): not Key=Value: \(line)")
      sections[section, default: [:]][parts[0], default: []].append(parts[1])
    }
    return sections
  }
}

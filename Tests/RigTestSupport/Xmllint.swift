// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigSystem

/// Runs libxml2's `xmllint`, the third-party validator the JUnit tests trust.
public enum Xmllint {
  /// Where the schema copies live: Tests/Fixtures/junit-schemas, found from this source file.
  public static let schemaDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/junit-schemas")

  public static let junit10 = schemaDirectory.appendingPathComponent("jenkins-xunit-junit-10.xsd")
  public static let surefire = schemaDirectory.appendingPathComponent(
    "maven-surefire-test-report-3.0.2.xsd")

  /// The xmllint executable on PATH, or nil.
  public static var executable: URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("xmllint")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }

  public static let missingMessage =
    "xmllint is not installed, so the JUnit output cannot be validated: "
    + "install libxml2-utils (sudo apt-get install -y libxml2-utils)"

  public struct Output {
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  /// Runs xmllint with `arguments`, through rig's own child-process runner.
  public static func run(_ arguments: [String]) async throws -> Output {
    guard let executable else { throw RunFailure(message: missingMessage) }
    let run = try await ChildProcess.run(
      executable.path, arguments, timeLimit: .seconds(120), outputLimit: 64 << 20)
    guard let status = ChildProcess.shellStatus(run.end) else {
      throw RunFailure(message: "xmllint \(arguments.joined(separator: " ")) ran past two minutes")
    }
    return Output(status: status, stdout: run.stdout, stderr: run.stderr)
  }

  public struct RunFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }
}

extension Xmllint {
  /// Validates a JUnit file as the HIL-JUnit profile requires: the whole file against junit-10,
  /// and each `<testsuite>` on its own against the Surefire XSD. Returns every problem found.
  public static func validateJUnit(_ file: URL) async throws -> [String] {
    var problems: [String] = []
    let whole = try await run(["--noout", "--schema", junit10.path, file.path])
    if whole.status != 0 { problems.append("junit-10: \(whole.stderr)") }
    let count = try await run(["--xpath", "count(/testsuites/testsuite)", file.path])
    let suites = Int(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    if suites == 0 { problems.append("no <testsuite> in \(file.path)") }
    for index in 1...max(suites, 1) where suites > 0 {
      let extracted = try await run(["--xpath", "/testsuites/testsuite[\(index)]", file.path])
      let suiteFile = FileManager.default.temporaryDirectory
        .appendingPathComponent("rig-suite-\(UUID().uuidString).xml")
      try Data(extracted.stdout.utf8).write(to: suiteFile)
      defer { try? FileManager.default.removeItem(at: suiteFile) }
      let result = try await run(["--noout", "--schema", surefire.path, suiteFile.path])
      if result.status != 0 { problems.append("Surefire, testsuite \(index): \(result.stderr)") }
    }
    return problems
  }
}

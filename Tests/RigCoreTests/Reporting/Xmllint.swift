// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs libxml2's `xmllint`, the third-party validator the JUnit tests trust.
enum Xmllint {
  /// Where the schema copies live: Tests/Fixtures/junit-schemas, found from this source file.
  static let schemaDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/junit-schemas")

  static let junit10 = schemaDirectory.appendingPathComponent("jenkins-xunit-junit-10.xsd")
  static let surefire = schemaDirectory.appendingPathComponent(
    "maven-surefire-test-report-3.0.2.xsd")

  /// The xmllint executable on PATH, or nil.
  static var executable: URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("xmllint")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }

  static let missingMessage =
    "xmllint is not installed, so the JUnit output cannot be validated: "
    + "install libxml2-utils (sudo apt-get install -y libxml2-utils)"

  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs xmllint with `arguments`.
  static func run(_ arguments: [String]) throws -> Output {
    guard let executable else { throw RunFailure(message: missingMessage) }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes to the end before waiting, so a large output cannot block the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  struct RunFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }
}

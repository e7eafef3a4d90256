// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("Writing a run's reports")
struct ReportWriterTests {
  private func scratchDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rig-reports-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  @Test("writes junit.xml, results.json and summary.txt and leaves no temporary files")
  func writesAll() throws {
    let directory = try scratchDirectory()
    try ReportWriter.write(ReportSamples.run, to: directory, attachmentRoot: "Reports/x")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(names == ["junit.xml", "results.json", "summary.txt"])
    let junit = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
    #expect(junit == JUnitRenderer.render(ReportSamples.run, attachmentRoot: "Reports/x"))
    let json = try Data(contentsOf: directory.appendingPathComponent("results.json"))
    #expect(try JSONRenderer.parse(json) == ReportSamples.run)
    let summary = try String(contentsOf: directory.appendingPathComponent("summary.txt"), encoding: .utf8)
    #expect(summary == ConsoleSummary.render(ReportSamples.run, color: false))
  }

  @Test("a full disk leaves the previous report intact and names the file")
  func diskFull() throws {
    let directory = try scratchDirectory()
    var old = ReportSamples.run
    old.tests = [ReportSamples.passed]
    try ReportWriter.write(old, to: directory, attachmentRoot: "")
    let junitURL = directory.appendingPathComponent("junit.xml")
    let before = try Data(contentsOf: junitURL)

    #expect {
      try ReportWriter.write(ReportSamples.run, to: directory, attachmentRoot: "") { handle, data in
        // Like ENOSPC part-way: some bytes land, then the write fails.
        try handle.write(contentsOf: data.prefix(100))
        throw POSIXError(.ENOSPC)
      }
    } throws: { error in
      let text = "\(error)"
      return text.contains("junit.xml") && text.contains("No space left on device")
        && text.contains("previous junit.xml, if any, is unchanged")
    }
    #expect(try Data(contentsOf: junitURL) == before)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(names == ["junit.xml", "results.json", "summary.txt"], "the temporary file is removed")
  }

  @Test("a missing folder gives an error naming the file")
  func missingFolder() throws {
    let directory = try scratchDirectory().appendingPathComponent("not-there")
    #expect {
      try ReportWriter.write(ReportSamples.run, to: directory, attachmentRoot: "")
    } throws: { error in
      "\(error)".contains("not-there/junit.xml") && "\(error)".contains("cannot create a file")
    }
  }
}
